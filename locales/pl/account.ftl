## Ustawienia konta (/account/settings), ich sekcje i strony, do których
## prowadzą: aplikacja uwierzytelniająca, kody odzyskiwania, klucze dostępu,
## zmiana adresu e-mail; strona główna i przypomnienie o uwierzytelnianiu
## dwuskładnikowym u góry każdej strony.
## Zdanie z linkiem lub pogrubieniem jest podzielone na części (-before,
## link lub pogrubione słowa, -after), żeby każdy język mógł ułożyć szyk.

account-title = Ustawienia konta
account-lead = Twoje imię i nazwisko, hasło oraz sposób logowania. Każdą sekcję zapisujesz osobno.
account-back = Wróć do ustawień konta
account-errors-intro = Nic nie zostało zmienione. Popraw następujące pola:

## Profil

account-profile-heading = Profil
account-name-label = Imię i nazwisko
account-email-label = E-mail
account-email-help = Twój login i adres, na który wysyłamy kody logowania.
account-email-change-link = Zmień adres e-mail
account-email-pending-before = Zmiana adresu na
account-email-pending-after = czeka na kod, który wysłaliśmy na nowy adres:
account-email-pending-link = wpisz kod
account-language-label = Język
account-time-zone-label = Strefa czasowa
# Pierwsza pozycja listy stref: agent nie wybrał własnej, obowiązuje strefa firmy.
account-time-zone-company = Domyślna strefa firmy ({ $zone })
account-time-zone-help = W tej strefie pokazujemy godziny na wszystkich stronach.
# Pokazuje skrypt, gdy przeglądarka jest w innej strefie; { $zone } to nazwa IANA, np. Europe/Warsaw.
account-time-zone-browser = Twoja przeglądarka używa strefy { $zone }.
account-time-zone-use = Użyj strefy { $zone }
account-save-profile = Zapisz profil

## Hasło

account-password-heading = Hasło
account-password-intro = Zostaw te pola puste, jeśli nie chcesz zmieniać hasła. Zmiana hasła wyloguje Cię z pozostałych sesji.
account-step-up-before = Przy włączonym uwierzytelnianiu dwuskładnikowym zmiana hasła lub wyłączenie uwierzytelniania wymaga kodu wpisanego { $count ->
    [one] w ciągu ostatniej minuty
    [few] w ciągu ostatnich { $count } minut
   *[many] w ciągu ostatnich { $count } minut
}, dlatego przed zapisaniem zmiany poprosimy Cię o
account-step-up-link = potwierdzenie, że to Ty
# Następuje bezpośrednio po linku (bez spacji).
account-step-up-after = .
account-current-password-label = Obecne hasło
account-new-password-label = Nowe hasło
account-new-password-help = Co najmniej 15 znaków. Krótkie zdanie złożone z kilku słów łatwo zapamiętać, a trudno odgadnąć. Hasło nie może zawierać Twojego adresu e-mail ani jego części przed znakiem @, jeśli ma ona co najmniej 4 znaki.
account-confirm-password-label = Powtórz nowe hasło
account-change-password = Zmień hasło

## Inne ustawienia: drugie składniki

account-other-heading = Inne ustawienia
account-emailed-codes = Kody wysyłane e-mailem
account-badge-on = Włączone
account-badge-pending = Czeka na potwierdzenie
account-badge-off = Wyłączone
account-two-factor-checkbox = Uwierzytelnianie dwuskładnikowe
account-two-factor-on-help = Włączone: przy każdym logowaniu poprosimy o kod wysłany na adres { $email }. Aby je wyłączyć, odznacz pole, wpisz poniżej obecne hasło i kliknij Aktualizuj.
account-two-factor-pending-before = Uwierzytelnianie dwuskładnikowe czeka na potwierdzenie:
account-two-factor-pending-link = wpisz kod
account-two-factor-pending-after = wysłany na adres { $email }, aby je włączyć.
account-two-factor-off-help = Wyłączone. Aby je włączyć, zaznacz pole i kliknij Aktualizuj: wyślemy kod na adres { $email }, a gdy go wpiszesz, każde logowanie będzie wymagało kodu wysłanego na ten adres.
account-two-factor-password-optional = (aby je wyłączyć)
account-update = Aktualizuj
account-app-title = Aplikacja uwierzytelniająca
account-app-on-help = Przy każdym logowaniu poprosimy o kod z Twojej aplikacji.
account-app-on-help-with-email = Przy każdym logowaniu poprosimy o kod z Twojej aplikacji; nadal możesz zamiast niego poprosić o kod e-mailem.
account-app-manage = Zarządzaj aplikacją uwierzytelniającą
account-app-off-help = Kody z aplikacji w telefonie (Google Authenticator, Microsoft Authenticator, 1Password …) są bezpieczniejsze niż kody wysyłane e-mailem i działają bez dostępu do skrzynki.
account-app-set-up = Skonfiguruj aplikację uwierzytelniającą
account-passkeys-title = Klucze dostępu i klucze bezpieczeństwa
account-passkeys-count = { $count ->
    [one] { $count } klucz dostępu
    [few] { $count } klucze dostępu
   *[many] { $count } kluczy dostępu
}
account-passkeys-on-help = Przy logowaniu najpierw poprosimy o klucz dostępu; możesz się nim zalogować nawet bez hasła.
account-passkeys-manage = Zarządzaj kluczami dostępu
account-passkeys-off-help = Najbezpieczniejszy drugi składnik: fałszywa strona logowania nie może go wykraść, a Ty możesz się nim zalogować nawet bez hasła.
account-passkeys-add = Dodaj klucz dostępu
account-recovery-title = Kody odzyskiwania
account-recovery-left = { $count ->
    [one] Został { $count } kod
    [few] Zostały { $count } kody
   *[many] Zostało { $count } kodów
}: każdy pozwala raz się zalogować, gdy nie możesz otrzymać kodu.
account-recovery-generate = Wygeneruj kody odzyskiwania
account-recovery-unavailable = Dostępne po włączeniu uwierzytelniania dwuskładnikowego, aplikacji uwierzytelniającej lub klucza dostępu.

## Ostatnie logowania

account-sign-ins-heading = Ostatnie logowania
account-sign-ins-help = Ostatnie próby zalogowania się na Twoje konto, od najnowszych (najwyżej { $count }). Jeśli którejś nie rozpoznajesz, zmień hasło.
account-sign-ins-none = Nie było jeszcze żadnych logowań.
account-column-time = Czas
account-column-result = Wynik
account-column-ip = Adres IP
account-column-browser = Przeglądarka
account-sign-in-succeeded = Zalogowano
account-sign-in-failed = Nieudane

## Zaufane komputery

account-trusted-heading = Zaufane komputery
account-trusted-none-before = Żaden komputer nie jest zaufany: każde logowanie z uwierzytelnianiem dwuskładnikowym wymaga kodu. Aby pomijać kod na swoim komputerze, zaznacz pole
account-trusted-box = Jestem na zaufanym komputerze
account-trusted-none-after = podczas wpisywania na nim kodu.
account-trusted-intro = Logowanie na Twoje konto w tych przeglądarkach nie wymaga kodu logowania. Jeśli którejś nie rozpoznajesz lub już jej nie używasz, kliknij Zapomnij: logowanie w niej znów będzie wymagało kodu.
account-trusted-this = Ten komputer
account-trusted-at = Zaufany od
account-trusted-at-value = { $time }, z adresu IP { $ip }
account-trusted-last-used = Ostatnio używany
account-trusted-expires = Wygasa
account-trusted-forget = Zapomnij
account-trusted-forget-label = Zapomnij { $label }, zaufany od { $time }
account-trusted-forget-label-this = Zapomnij { $label } (ten komputer), zaufany od { $time }
account-trusted-forget-all = Zapomnij wszystkie

## Odpowiedzi formularza. { $error } to komunikat samego pola.

account-error-no-field = Formularz nie zawierał żadnego pola do zmiany: otwórz Ustawienia konta i użyj jednej z sekcji.
account-error-name = Imię i nazwisko: { $error }
account-error-language = Język: wybierz jeden z języków z listy.
account-error-time-zone = Strefa czasowa: wybierz jedną ze stref z listy.
account-error-new-password-missing = Nowe hasło: wpisz obecne hasło, a potem dwa razy nowe.
account-error-new-password = Nowe hasło: { $error }
account-error-current-password = Obecne hasło: to nie jest Twoje obecne hasło.
account-error-two-factor-required = Uwierzytelnianie dwuskładnikowe: { $company } go wymaga, więc pozostaje włączone. Jeśli wolisz aplikację uwierzytelniającą, najpierw ją skonfiguruj.
account-error-two-factor-password = Uwierzytelnianie dwuskładnikowe: aby je wyłączyć, wpisz obecne hasło.
account-confirm-expired = Kod potwierdzający wygasł. Wybierz Wyślij nowy kod.

## Potwierdzenie uwierzytelniania dwuskładnikowego (/account/two-factor/confirm):
## strona kodu mówi „Wysłaliśmy 6-cyfrowy kod na …”, a potem cel.

account-confirm-title = Potwierdź uwierzytelnianie dwuskładnikowe
account-confirm-eyebrow = Czeka na potwierdzenie
account-confirm-purpose = Wpisz go, aby włączyć uwierzytelnianie dwuskładnikowe.
account-confirm-nothing-waiting = Nie czekamy na żaden kod.
account-confirm-submit = Potwierdź
account-confirm-resend = Wyślij nowy kod
account-confirm-needs-new-code = Wpisano zbyt wiele błędnych kodów. Wybierz Wyślij nowy kod.
account-confirm-links-note = (aby anulować, odznacz tam pole)

## Zalogowane sesje (Ustawienia konta)

sessions-heading = Zalogowane sesje
sessions-help = Przeglądarki, w których jest teraz otwarta sesja Twojego konta. Wyloguj te, których nie rozpoznajesz, a potem zmień hasło.
sessions-column-browser = Przeglądarka
sessions-column-ip = Adres IP
sessions-column-signed-in = Zalogowano
sessions-column-last-seen = Ostatnia aktywność
sessions-column-sign-out = Wylogowanie
sessions-this-session = Ta sesja
sessions-sign-out = Wyloguj
sessions-sign-out-label = Wyloguj: { $browser }, zalogowano { $time }
sessions-sign-out-label-this = Wyloguj: { $browser }, zalogowano { $time } (ta sesja)
sessions-sign-out-others = Wyloguj wszystkie pozostałe sesje

## Aplikacja uwierzytelniająca (/account/authenticator)

authenticator-title = Aplikacja uwierzytelniająca
authenticator-lead = Użyj aplikacji takiej jak Google Authenticator, Microsoft Authenticator, 1Password lub Bitwarden. Gdy ją włączysz, przy każdym logowaniu poprosimy o 6-cyfrowy kod z aplikacji.
authenticator-scan = W aplikacji dodaj konto i zeskanuj ten kod QR:
authenticator-cannot-scan = Nie możesz zeskanować kodu? Wybierz opcję wpisania klucza i przepisz ten klucz (oparty na czasie):
authenticator-code-label = Wpisz 6-cyfrowy kod, który aplikacja pokazuje teraz
authenticator-code-help = Ten klucz widać tylko podczas konfiguracji aplikacji; przechowujemy go w postaci zaszyfrowanej.
authenticator-turn-on = Włącz
authenticator-on-lead = Aplikacja uwierzytelniająca jest włączona dla Twojego konta: przy każdym logowaniu poprosimy o kod, który w niej widzisz. Jej klucza nie pokażemy już nigdy więcej; aby przenieść ją na nowy telefon, usuń tu aplikację i skonfiguruj ją od nowa.
authenticator-remove = Usuń aplikację uwierzytelniającą
authenticator-error-empty = Wpisz 6-cyfrowy kod z aplikacji.
authenticator-error-format = Kod ma 6 cyfr (od 0 do 9). Sprawdź aplikację uwierzytelniającą i spróbuj ponownie.
authenticator-error-wrong = Ten kod jest nieprawidłowy. Sprawdź, czy zegar w telefonie ustawia się automatycznie, i wpisz kod, który aplikacja pokazuje teraz.

## Kody odzyskiwania (/account/recovery-codes)

recovery-title = Kody odzyskiwania
recovery-app-on = Aplikacja uwierzytelniająca jest włączona.
recovery-new-lead = Jeśli zgubisz telefon albo nie możesz otrzymać kodów, każdy z tych kodów pozwoli Ci raz się zalogować zamiast zwykłego kodu.
recovery-new-once = Widzisz je tylko ten jeden raz.
recovery-new-keep = Pobierz je lub wydrukuj i przechowuj w bezpiecznym miejscu, z dala od tego komputera.
recovery-download = Pobierz (.txt)
recovery-print = Drukuj
recovery-done = Gotowe
recovery-left = { $count ->
    [one] Został Ci { $count } kod odzyskiwania
    [few] Zostały Ci { $count } kody odzyskiwania
   *[many] Zostało Ci { $count } kodów odzyskiwania
}. Każdy pozwala raz się zalogować zamiast zwykłego kodu; po wygenerowaniu nie pokazujemy ich już nigdy więcej.
recovery-none = Nie masz kodów odzyskiwania.
recovery-few = Zostało ich już niewiele.
recovery-make-new = Wygeneruj teraz nowy zestaw, żeby utrata telefonu nie odcięła Cię od konta.
recovery-generate = Wygeneruj nowy zestaw
recovery-replaces = Nowy zestaw { $count ->
    [one] { $count } kodu
    [few] { $count } kodów
   *[many] { $count } kodów
} zastępuje poprzedni: kody zachowane wcześniej przestaną działać.
recovery-no-factor-before = Kody odzyskiwania zastępują drugi składnik. Najpierw włącz uwierzytelnianie dwuskładnikowe lub aplikację uwierzytelniającą w
# Link do Ustawień konta w zdaniu powyżej (w miejscowniku).
recovery-no-factor-link = Ustawieniach konta
recovery-no-factor-after = i wróć tutaj.
recovery-error-no-factor = Kody odzyskiwania zastępują drugi składnik: najpierw włącz uwierzytelnianie dwuskładnikowe.

## Klucze dostępu i klucze bezpieczeństwa (/account/passkeys)

passkeys-title = Klucze dostępu i klucze bezpieczeństwa
passkeys-lead = Klucz dostępu jest zapisany w Twoim telefonie, komputerze lub kluczu bezpieczeństwa (np. YubiKey) i odblokowujesz go odciskiem palca, twarzą, kodem PIN lub blokadą ekranu. Działa tylko w tej witrynie, więc fałszywa strona logowania nie może go wykraść. Przy logowaniu może zastąpić hasło i kod.
passkeys-none = Nie masz jeszcze kluczy dostępu.
passkeys-caption = Twoje klucze dostępu i klucze bezpieczeństwa
passkeys-column-name = Nazwa
passkeys-column-added = Dodano
passkeys-column-last-used = Ostatnio użyty
passkeys-column-actions = Działania
passkeys-remove = Usuń
passkeys-remove-label = Usuń { $name }
passkeys-add = Dodaj klucz dostępu
passkeys-name-label = Nazwa
passkeys-name-placeholder = YubiKey 5, MacBook Touch ID …
passkeys-name-help = Dzięki niej odróżnisz swoje klucze dostępu na tej liście.
passkeys-unsupported = Ta przeglądarka nie może tworzyć kluczy dostępu (potrzebuje WebAuthn i JavaScriptu, pod adresem { $host }). Użyj aktualnej wersji Chrome, Edge, Firefoksa lub Safari.
passkeys-max = Masz { $count ->
    [one] { $count } klucz dostępu
    [few] { $count } klucze dostępu
   *[many] { $count } kluczy dostępu
}, czyli najwięcej, ile może mieć jedno konto. Usuń któryś, aby dodać nowy.
passkeys-unavailable = Klucze dostępu nie są dostępne na tym serwerze: jego publiczny adres (AGENTGATE_PUBLIC_URL) musi być nazwą domeny albo localhost.
passkeys-no-ceremony = Nie można tu rozpocząć użycia klucza dostępu.
passkeys-too-many-sign-ins = Z Twojej sieci rozpoczęto zbyt wiele logowań kluczem dostępu. Odczekaj kilka minut.
# Komunikaty static/passkeys.js (z atrybutów data formularza). { $error } to
# wyjaśnienie przeglądarki; { $status } to kod HTTP, np. 409.
passkeys-js-already-registered = Ten klucz dostępu jest już przypisany do Twojego konta.
passkeys-js-add-cancelled = Dodawanie klucza dostępu zostało anulowane lub przekroczyło limit czasu. Spróbuj ponownie, kiedy zechcesz.
passkeys-js-add-failed = Nie udało się dodać klucza dostępu ({ $error }).
passkeys-js-sign-in-cancelled = Logowanie kluczem dostępu zostało anulowane. Spróbuj ponownie albo użyj adresu e-mail i hasła.
passkeys-js-sign-in-failed = Nie udało się użyć klucza dostępu ({ $error }).
passkeys-js-server-answered = serwer odpowiedział kodem { $status }

## Zmiana adresu e-mail (/account/email)

email-change-title = Zmień adres e-mail
email-change-lead-before = Logujesz się adresem
# Następuje bezpośrednio po obecnym adresie (bez spacji).
email-change-lead-after = , na który trafiają też Twoje kody logowania. Na nowy adres wyślemy kod, a nowy adres zastąpi obecny dopiero po wpisaniu tego kodu. Wtedy powiadomimy o zmianie obecny adres, Twoje pozostałe sesje zostaną zakończone, a zaufane komputery zapomniane.
email-change-pending-before = Zmiana adresu na
email-change-pending-middle = już czeka na kod:
email-change-pending-link = wpisz kod
# Następuje bezpośrednio po linku (bez spacji).
email-change-pending-after = , a jeśli wolisz inny adres, podaj go poniżej.
email-change-new-label = Nowy adres e-mail
email-change-submit = Wyślij mi kod
email-change-error-new = Nowy adres e-mail: { $error }
email-change-error-password-missing = Obecne hasło: wpisz je, aby zmienić adres e-mail.
email-change-in-use = W międzyczasie ktoś inny zaczął używać tego adresu, więc Twój adres nie został zmieniony. Wybierz inny.
email-change-nothing-waiting = Żadna zmiana adresu nie czeka już na kod (wygasła, została anulowana lub zastąpiona). Zacznij od nowa.

## Potwierdzenie nowego adresu (/account/email/confirm)

email-change-confirm-title = Potwierdź nowy adres e-mail
email-change-confirm-eyebrow = Czeka na potwierdzenie
email-change-confirm-purpose = Wpisz go, aby ten adres stał się Twoim loginem i adresem, na który wysyłamy kody.
email-change-confirm-nothing-waiting = Żadna zmiana adresu nie czeka na kod.
email-change-confirm-submit = Zmień mój adres e-mail
email-change-confirm-resend = Wyślij nowy kod
email-change-confirm-needs-new-code = Wpisano zbyt wiele błędnych kodów, więc ten kod już nie działa. Wybierz Wyślij nowy kod.
email-change-confirm-keep = Zostaw obecny adres
email-change-confirm-use-another = Użyj innego adresu

## Strona główna (/)

home-title = Strona główna
home-welcome = Witaj, { $name }
home-recovery-low = { $count ->
    [0] Nie masz już kodów odzyskiwania
    [one] Został Ci tylko { $count } kod odzyskiwania
    [few] Zostały Ci tylko { $count } kody odzyskiwania
   *[many] Zostało Ci tylko { $count } kodów odzyskiwania
}: jeśli stracisz telefon lub dostęp do skrzynki, to właśnie nimi się zalogujesz.
home-account-heading = Twoje konto
home-signed-in-as = Zalogowano jako
home-role = Rola
home-role-admin = Administrator
home-role-agent = Agent
home-company = Firma
home-two-factor = Uwierzytelnianie dwuskładnikowe
home-two-factor-enabled = Włączone
home-two-factor-pending = Oczekuje
home-two-factor-disabled = Wyłączone
# Po plakietce: „Włączone (klucz dostępu i kody z e-maila)”.
home-methods = ({ $methods })
home-method-passkeys = { $count ->
    [one] klucz dostępu
    [few] { $count } klucze dostępu
   *[many] { $count } kluczy dostępu
}
home-method-app = aplikacja uwierzytelniająca
home-method-email = kody z e-maila
# Dwie ostatnie metody listy („klucz dostępu, aplikacja uwierzytelniająca i kody z e-maila”).
home-methods-and = { $rest } i { $last }
home-turn-on = Włącz je
home-team-heading = Twój zespół
home-team-text = Zobacz wszystkich agentów firmy { $company }, sprawdź, kto ma włączone uwierzytelnianie dwuskładnikowe, i dodawaj nowych agentów.
home-agents = Agenci
home-trust-code-skipped = Nie poprosiliśmy o kod, bo ten komputer jest zaufany dla Twojego konta do { $time }. Możesz go zapomnieć w Ustawieniach konta.
home-trust-computer-trusted = Ten komputer jest teraz zaufany dla Twojego konta: logowanie na nim nie będzie wymagało kodu do { $time }. Możesz go zapomnieć w Ustawieniach konta.

## Przypomnienie u góry każdej strony, dopóki agent nie spełnia wymogu
## uwierzytelniania dwuskładnikowego firmy. { $date } to data („6 grudnia 2026”).

reminder-grace-any = Od { $date } { $company } wymaga uwierzytelniania dwuskładnikowego. Włącz je wcześniej w Ustawieniach konta.
reminder-grace-app-or-passkey = Od { $date } { $company } wymaga aplikacji uwierzytelniającej lub klucza dostępu. Dodaj jedno z nich wcześniej w Ustawieniach konta.
reminder-grace-passkey = Od { $date } { $company } wymaga klucza dostępu lub klucza bezpieczeństwa. Dodaj go wcześniej w Ustawieniach konta.
reminder-enforced-any = { $company } wymaga uwierzytelniania dwuskładnikowego. Włącz je poniżej i potwierdź kodem, który wyślemy Ci e-mailem, albo skonfiguruj aplikację uwierzytelniającą lub klucz dostępu. Pozostałe strony otworzą się, gdy zabezpieczenie będzie włączone.
reminder-enforced-app-or-passkey = { $company } wymaga aplikacji uwierzytelniającej lub klucza dostępu. Dodaj jedno z nich poniżej — pozostałe strony otworzą się, gdy to zrobisz.
reminder-enforced-passkey = { $company } wymaga klucza dostępu lub klucza bezpieczeństwa. Dodaj go poniżej — pozostałe strony otworzą się, gdy to zrobisz.
