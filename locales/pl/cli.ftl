## Komunikaty wiersza poleceń (język: LC_ALL, LC_MESSAGES lub LANG).

cli-mailbox-sends-nothing = AGENTGATE_MAIL=mailbox niczego nie wysyła (wiadomości widać pod /dev/mailbox): ustaw AGENTGATE_MAIL=smtp, SMTP_URL i MAIL_FROM
cli-check-mail-sent = check-mail: wysłano testową wiadomość do { $to } przez { $transport }, od { $from }; poszukaj jej w tej skrzynce.
cli-configuration = konfiguracja: { $error }
cli-database-up-to-date = Baza danych jest aktualna.
cli-two-factor-reset = Uwierzytelnianie dwuskładnikowe dla { $email } jest wyłączone, a zaufane komputery tego agenta zostały zapomniane. Agent dostał o tym wiadomość e-mail (wyśle ją działający serwer).
cli-deactivated = Dezaktywowano { $email } i zakończono sesje tego agenta.
cli-backup-postgres = DATABASE_URL wskazuje PostgreSQL: nie utworzono kopii zapasowej; twórz kopie poleceniem pg_dump: pg_dump --format=custom --file { $file } { $url }
cli-no-secret-file = --include-secret: nie ma pliku z sekretem w { $path }
cli-exists-already = { $path } już istnieje; wybierz nową nazwę pliku (nic nie zostało nadpisane)
cli-backed-up = Utworzono kopię zapasową { $url } w { $path } ({ $agents ->
    [one] { $agents } agent
    [few] { $agents } agentów
   *[many] { $agents } agentów
}, { $kib } KiB).
cli-secret-copied = Skopiowano sekret serwera { $from } do { $to } (chroń go jak hasło).
cli-secret-in-variable = Sekret serwera jest ustawiony w AGENTGATE_SECRET_KEY, a nie w pliku: nie został zapisany; przechowuj go tam, gdzie ustawiasz tę zmienną.
cli-secret-file-not-in-backup = Sekretu serwera nie ma w kopii zapasowej: zabezpiecz także { $path } (albo użyj --include-secret).
cli-secret-variable-not-in-backup = Sekretu serwera nie ma w kopii zapasowej: zabezpiecz także AGENTGATE_SECRET_KEY.
cli-restore-postgres = DATABASE_URL wskazuje PostgreSQL: niczego nie przywrócono; zatrzymaj serwery i przywróć kopię z pg_dump do pustej bazy poleceniem pg_restore: pg_restore --no-owner --dbname { $url } { $file }
cli-restore-server-running = działający serwer AgentGate używa { $url } (trzyma { $lock }): zatrzymaj wszystkie instancje, a potem przywróć kopię; niczego nie zmieniono
cli-restored = Przywrócono { $path } do { $url } ({ $agents ->
    [one] { $agents } agent
    [few] { $agents } agentów
   *[many] { $agents } agentów
}).
cli-previous-kept = Zastąpiona baza danych została zachowana jako { $path }.
cli-secret-variable-wins = AGENTGATE_SECRET_KEY jest ustawiony, więc serwer używa go zamiast { $path }.
cli-secret-installed = Zainstalowano sekret serwera z kopii { $from } jako { $to }.
cli-secret-differs = { $current } różni się od { $backup } z kopii: zastąp go tamtym plikiem, inaczej aplikacje uwierzytelniające, kody odzyskiwania i zaufane komputery przywróconych agentów nie będą działać.
cli-cannot-read = nie można odczytać { $path }: { $error }
cli-cannot-create = nie można utworzyć { $path }: { $error }
cli-cannot-write = nie można zapisać { $path }: { $error }
cli-seed-count = --agents: od 1 do { $max }
cli-seeded = Dodano { $agents } agentów demonstracyjnych do firmy { $company } w { $seconds } s.
cli-setup-link = Nie ma jeszcze żadnego agenta. Otwórz ten jednorazowy link, aby utworzyć firmę i jej pierwszego administratora:
cli-admin-created = Utworzono firmę i jej administratora { $email }.
cli-admin-added = Dodano administratora { $email } do istniejącej firmy.
cli-password-prompt = Hasło:
cli-password-repeat = Powtórz hasło:
cli-passwords-differ = podane hasła się różnią
cli-cannot-read-password = nie można odczytać hasła ze standardowego wejścia: { $error }
cli-no-password = brak hasła na standardowym wejściu
cli-password-hidden = (hasło ukryte: podaj je w PGPASSWORD lub ~/.pgpass)
cli-no-database = nie ma bazy danych SQLite w { $path } (DATABASE_URL)
cli-cannot-copy-to = nie można skopiować { $from } do { $to }: { $error }
cli-cannot-copy = nie można skopiować { $path }: { $error }
cli-cannot-move = nie można przenieść { $from } do { $to }: { $error }
cli-not-ours = { $path } nie jest bazą danych AgentGate: { $why }
cli-integrity = sprawdzenie SQLite zwraca { $result }
cli-no-table = nie ma w niej tabeli { $table }
cli-no-file = nie ma pliku { $path }
cli-unusable-path = { $path } nie jest poprawną ścieżką
cli-not-sqlite = nie można otworzyć { $path } jako bazy danych SQLite: { $error }
