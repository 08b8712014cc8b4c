## The command line's messages (its language: LC_ALL, LC_MESSAGES or LANG).

cli-mailbox-sends-nothing = AGENTGATE_MAIL=mailbox sends nothing (emails are shown at /dev/mailbox): set AGENTGATE_MAIL=smtp, SMTP_URL and MAIL_FROM
cli-check-mail-sent = check-mail: sent a test email to { $to } through { $transport }, from { $from }; look for it in that inbox.
cli-configuration = configuration: { $error }
cli-database-up-to-date = Database is up to date.
cli-two-factor-reset = Two-factor authentication is off for { $email } and their trusted computers are forgotten. They were emailed about it (sent by the running server).
cli-deactivated = Deactivated { $email } and ended their sessions.
cli-backup-postgres = DATABASE_URL is PostgreSQL: nothing was backed up; make backups with pg_dump: pg_dump --format=custom --file { $file } { $url }
cli-no-secret-file = --include-secret: there is no secret file at { $path }
cli-exists-already = { $path } already exists; choose a new file name (nothing is overwritten)
cli-backed-up = Backed up { $url } to { $path } ({ $agents ->
    [one] { $agents } agent
   *[other] { $agents } agents
}, { $kib } KiB).
cli-secret-copied = Copied the server secret { $from } to { $to } (keep it as safe as a password).
cli-secret-in-variable = The server secret is set in AGENTGATE_SECRET_KEY, not a file: it is not written out; keep it where that variable is set.
cli-secret-file-not-in-backup = The server secret is not in the backup: keep { $path } safe too (or use --include-secret).
cli-secret-variable-not-in-backup = The server secret is not in the backup: keep AGENTGATE_SECRET_KEY safe too.
cli-restore-postgres = DATABASE_URL is PostgreSQL: nothing was restored; stop the servers and restore a pg_dump backup into an empty database with pg_restore: pg_restore --no-owner --dbname { $url } { $file }
cli-restore-server-running = a running AgentGate server uses { $url } (it holds { $lock }): stop every instance, then restore; nothing was changed
cli-restored = Restored { $path } into { $url } ({ $agents ->
    [one] { $agents } agent
   *[other] { $agents } agents
}).
cli-previous-kept = The database it replaced is kept as { $path }.
cli-secret-variable-wins = AGENTGATE_SECRET_KEY is set, so the server uses it, not { $path }.
cli-secret-installed = Installed the backup's server secret { $from } as { $to }.
cli-secret-differs = { $current } differs from the backup's { $backup }: replace it with that file, or authenticator apps, recovery codes and trusted computers of the restored agents do not work.
cli-cannot-read = cannot read { $path }: { $error }
cli-cannot-create = cannot create { $path }: { $error }
cli-cannot-write = cannot write { $path }: { $error }
cli-seed-count = --agents: between 1 and { $max }
cli-seeded = Seeded { $agents } demo agents into company { $company } in { $seconds } s.
cli-setup-link = No agent exists yet. Open this one-time link to create your company and its first admin:
cli-admin-created = Created the company and its admin { $email }.
cli-admin-added = Added the admin { $email } to the existing company.
cli-password-prompt = Password:
cli-password-repeat = Repeat the password:
cli-passwords-differ = the two passwords do not match
cli-cannot-read-password = cannot read the password from standard input: { $error }
cli-no-password = no password on standard input
cli-password-hidden = (password hidden: give it in PGPASSWORD or ~/.pgpass)
cli-no-database = there is no SQLite database at { $path } (DATABASE_URL)
cli-cannot-copy-to = cannot copy { $from } to { $to }: { $error }
cli-cannot-copy = cannot copy { $path }: { $error }
cli-cannot-move = cannot move { $from } to { $to }: { $error }
cli-not-ours = { $path } is not an AgentGate database: { $why }
cli-integrity = SQLite's check says { $result }
cli-no-table = it has no { $table } table
cli-no-file = there is no file { $path }
cli-unusable-path = { $path } is not a usable path
cli-not-sqlite = { $path } cannot be opened as a SQLite database: { $error }
