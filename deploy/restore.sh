#!/bin/sh
# Restore a dump made by deploy/backup.sh into a NEW, empty database (README,
# "Production: backups").
#
#   deploy/restore.sh /backups/kartusehat-20261201T183000Z.dump postgres://user:pass@host:5432/kartusehat_restored
#
# All or nothing (one transaction, stop at the first error): a target that
# already holds the portal's tables is refused rather than mixed. Then it
# prints what it restored, so the operator sees the data is there.
set -eu

dump="${1:?usage: $0 DUMP_FILE TARGET_DATABASE_URL}"
target="${2:?usage: $0 DUMP_FILE TARGET_DATABASE_URL}"

pg_restore --list "$dump" >/dev/null
tables=$(psql --no-psqlrc --dbname="$target" -tAc \
    "SELECT count(*) FROM information_schema.tables WHERE table_name = 'django_migrations'")
if [ "$tables" != "0" ]; then
    echo "refused: the target database already holds the portal's tables; restore into a new database" >&2
    exit 1
fi
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$target" "$dump"
psql --no-psqlrc --dbname="$target" -tA -F ' ' -c "
    SELECT 'households', count(*) FROM registrations_household
    UNION ALL SELECT 'registrations', count(*) FROM registrations_registration
    UNION ALL SELECT 'cards', count(*) FROM cards_card
    UNION ALL SELECT 'migrations', count(*) FROM django_migrations"
