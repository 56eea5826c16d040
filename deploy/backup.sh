#!/bin/sh
# Back up the portal's PostgreSQL database with pg_dump (README, "Production: backups").
#
#   DATABASE_URL=postgres://user:pass@host:5432/kartusehat deploy/backup.sh         one backup now
#   DATABASE_URL=... deploy/backup.sh daily                                         one every day at BACKUP_AT
#
# BACKUP_DIR (default /backups) receives kartusehat-<UTC time>.dump, in pg_dump's
# custom format (compressed; pg_restore reads it), readable by its owner only: it
# holds every NIK of the programme. A dump is checked readable before it counts,
# and dumps older than BACKUP_KEEP_DAYS (default 14) are deleted, so data the
# retention rules purged is gone from the backups too after that many days.
set -eu

: "${DATABASE_URL:?set DATABASE_URL to the database to back up}"
BACKUP_DIR="${BACKUP_DIR:-/backups}"
BACKUP_KEEP_DAYS="${BACKUP_KEEP_DAYS:-14}"
BACKUP_AT="${BACKUP_AT:-01:30}"

backup_once() {
    umask 077
    mkdir -p "$BACKUP_DIR"
    stamp=$(date -u +%Y%m%dT%H%M%SZ)
    partial="$BACKUP_DIR/.kartusehat-$stamp.dump.partial"
    # A dump that failed halfway leaves nothing behind (after a success the name is gone already).
    trap 'rm -f "$partial"' EXIT
    # --no-owner/--no-privileges: restorable into a database of another name and owner.
    pg_dump --format=custom --no-owner --no-privileges --dbname="$DATABASE_URL" --file="$partial"
    # A file pg_restore cannot read is no backup: it never takes a backup's name.
    pg_restore --list "$partial" >/dev/null
    mv "$partial" "$BACKUP_DIR/kartusehat-$stamp.dump"
    find "$BACKUP_DIR" -maxdepth 1 -type f -name 'kartusehat-*.dump' -mtime +"$BACKUP_KEEP_DAYS" -delete
    echo "$BACKUP_DIR/kartusehat-$stamp.dump"
}

case "${1:-once}" in
    once)
        backup_once
        ;;
    daily)
        while :; do
            next=$(date -d "today $BACKUP_AT" +%s)
            [ "$next" -gt "$(date +%s)" ] || next=$(date -d "tomorrow $BACKUP_AT" +%s)
            sleep $((next - $(date +%s)))
            # A failed night is reported and retried the next night; the service keeps running.
            backup_once || echo "kartusehat backup FAILED at $(date -u +%Y-%m-%dT%H:%M:%SZ)" >&2
        done
        ;;
    *)
        echo "usage: $0 [once|daily]" >&2
        exit 2
        ;;
esac
