"""This app's part of ``manage.py load_demo``: the complaint desk's user and a few complaints."""

from __future__ import annotations

from kartusehat import demo

from .models import Complaint
from .roles import COMPLAINT_DESK
from .services import complaint_submit

DEMO_COMPLAINTS = [
    ("kartu_belum_jadi", "Sudah daftar bulan lalu tetapi kartu belum jadi. Mohon informasinya."),
    ("data_salah", "Nama anak saya salah ketik pada data pendaftaran."),
    ("layanan_rumah_sakit", "Rumah sakit meminta biaya padahal sudah menunjukkan KK dan e-KTP."),
]


@demo.loader(order=40)
def load(context: demo.DemoContext) -> None:
    context.staff_user(
        "aduan.kota", area_code="{city}", name="Petugas Pengaduan", group=COMPLAINT_DESK,
        purpose="complaint desk: handles complaints (aduan)",
    )
    if context.already_loaded or not context.households or Complaint.objects.exists():
        return
    for category, message in DEMO_COMPLAINTS:
        complaint_submit(data={
            "name": "Warga Demo", "phone": f"0812{context.rng.randrange(10**7, 10**8)}",
            "category": category, "message": message,
        })
