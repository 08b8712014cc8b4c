## Strony przed logowaniem i wokół niego: logowanie, strony kodów,
## potwierdzanie tożsamości, hasła, pierwsza konfiguracja, zaproszenia,
## skrzynka deweloperska i komunikaty pokazywane po przekierowaniu.

## Logowanie.

login-title = Logowanie
login-heading = Zaloguj się
login-lead = Podaj adres e-mail i hasło swojego konta AgentGate.
login-email-label = Adres e-mail
login-password-label = Hasło
login-submit = Zaloguj się
login-passkey-button = Zaloguj się kluczem dostępu
login-forgot-password = Nie pamiętasz hasła?
login-no-account = Nie masz jeszcze konta? Doda Cię administrator AgentGate w Twojej firmie i wyśle Ci zaproszenie e-mailem.
login-failed = Ten adres e-mail i hasło nie pasują do żadnego aktywnego konta.

## Strony kodów (drugi krok logowania, potwierdzanie tożsamości; strony kodów
## w ustawieniach konta używają tego samego szablonu).

code-step-2-of-2 = Krok 2 z 2
code-lead-passkey = Użyj klucza dostępu lub klucza bezpieczeństwa: przeglądarka poprosi Cię o dotknięcie klucza albo odblokowanie telefonu lub komputera. { $purpose }
code-lead-app = Otwórz aplikację uwierzytelniającą i wpisz 6-cyfrowy kod, który pokazuje dla AgentGate. { $purpose }
code-lead-recovery = Wpisz jeden z kodów odzyskiwania zapisanych przy włączaniu uwierzytelniania dwuskładnikowego. { $purpose } Każdy kod działa tylko raz.
# Po nim pogrubiony, zamaskowany adres i kropka.
code-emailed-to = Wysłaliśmy 6-cyfrowy kod na adres
# Po nim pogrubiony, zamaskowany adres i kropka.
code-can-email-to = Możemy wysłać 6-cyfrowy kod na adres
code-lifetime = Kod jest ważny przez { $minutes ->
    [one] { $minutes } minutę
    [few] { $minutes } minuty
   *[many] { $minutes } minut
}.
code-trusted-label = Jestem na zaufanym komputerze
code-trusted-help-passkey = Przez { $days ->
    [one] { $days } dzień
    [few] { $days } dni
   *[many] { $days } dni
} kolejne logowania na Twoje konto z tej przeglądarki nie będą wymagały drugiego kroku. Zaznacz to pole tylko na własnym komputerze, nigdy na współdzielonym ani publicznym.
code-trusted-help = Przez { $days ->
    [one] { $days } dzień
    [few] { $days } dni
   *[many] { $days } dni
} kolejne logowania na Twoje konto z tej przeglądarki nie będą wymagały kodu. Zaznacz to pole tylko na własnym komputerze, nigdy na współdzielonym ani publicznym.
code-passkey-unsupported = Ta przeglądarka nie może tu używać kluczy dostępu (potrzebuje WebAuthn i JavaScriptu). Wybierz inny sposób poniżej.
code-passkey-submit = Użyj klucza dostępu
code-recovery-label = Kod odzyskiwania
code-recovery-help = Na przykład { $example }; łączniki i spacje nie przeszkadzają.
code-app-label = Kod z aplikacji
code-label = Kod
code-help = Spacje i myślniki we wklejonym kodzie nie przeszkadzają.
code-email-me = Wyślij mi kod e-mailem
code-other-ways = Inne sposoby logowania:
code-email-me-instead = Zamiast tego wyślij mi kod e-mailem
code-use-passkey = Użyj klucza dostępu lub klucza bezpieczeństwa
code-use-app = Użyj aplikacji uwierzytelniającej
code-use-recovery = Użyj kodu odzyskiwania
code-wait-not-sent-at = Nie wysłaliśmy nowego kodu: w ostatnim czasie na Twój adres poszło zbyt wiele kodów. O kolejny możesz poprosić o { $time }.
code-wait-not-sent = Nie wysłaliśmy nowego kodu: w ostatnim czasie na Twój adres poszło zbyt wiele kodów. O kolejny możesz poprosić 15 minut po wysłaniu pierwszego z nich.
code-wait-cooldown = Kod został wysłany przed chwilą: o kolejny możesz poprosić za { $seconds ->
    [one] { $seconds } sekundę
    [few] { $seconds } sekundy
   *[many] { $seconds } sekund
}.
code-app-empty = Wpisz 6-cyfrowy kod, który pokazuje aplikacja uwierzytelniająca.
code-app-malformed = Kod ma 6 cyfr (od 0 do 9). Sprawdź aplikację uwierzytelniającą i spróbuj ponownie.
code-passkey-cancelled = Logowanie kluczem dostępu zostało anulowane albo się nie zakończyło.
code-recovery-wrong = Ten kod odzyskiwania jest nieprawidłowy albo został już użyty.
code-passkey-wrong = Nie udało się zweryfikować klucza dostępu: użyj klucza zarejestrowanego dla tego konta.
code-wrong = Ten kod jest nieprawidłowy.
code-attempts-left = { $count ->
    [one] Została { $count } próba.
    [few] Zostały { $count } próby.
   *[many] Zostało { $count } prób.
}
code-dead-login = Przy tym logowaniu wpisano zbyt wiele błędnych kodów. Zaloguj się ponownie, aby zacząć od nowa.
code-refused-cooldown = Kod został wysłany przed chwilą. O kolejny możesz poprosić za { $seconds ->
    [one] { $seconds } sekundę
    [few] { $seconds } sekundy
   *[many] { $seconds } sekund
}; wcześniejszy kod nadal działa.
code-refused-too-many = W ostatnim czasie na Twój adres wysłano zbyt wiele kodów. O kolejny możesz poprosić za { $minutes ->
    [one] { $minutes } minutę
    [few] { $minutes } minuty
   *[many] { $minutes } minut
}; wysłane już kody nadal działają.
code-refused-locked = Kody logowania dla tego konta są zablokowane po zbyt wielu błędnych kodach.
code-refused-network = Z Twojej sieci poproszono ostatnio o zbyt wiele kodów. O kolejny możesz poprosić za { $minutes ->
    [one] { $minutes } minutę
    [few] { $minutes } minuty
   *[many] { $minutes } minut
}; wysłane już kody nadal działają.
code-locked-until = Dla tego konta wpisano zbyt wiele błędnych kodów, więc kody logowania są zablokowane do { $time }. Wysłaliśmy Ci e-mail w tej sprawie. Jeśli to nie Ty, zmień hasło.
# { $forgot } to link ze strony logowania, login-forgot-password.
code-locked-until-reset = Dla tego konta wpisano zbyt wiele błędnych kodów, więc kody logowania są zablokowane do czasu zresetowania hasła. Użyj linku „{ $forgot }” na stronie logowania albo poproś administratora o zresetowanie Twojego uwierzytelniania dwuskładnikowego.

## Drugi krok logowania.

code-login-title = Uwierzytelnianie dwuskładnikowe
code-login-purpose = Wpisz go, aby dokończyć logowanie.
code-login-nothing-waiting = Żadne logowanie nie czeka na kod.
code-login-resend = Wyślij kod ponownie
code-login-resend-help = Minęła minuta, a e-maila nadal nie ma? Sprawdź folder ze spamem albo:
code-login-needs-new-code = Przy tym logowaniu wpisano zbyt wiele błędnych kodów, więc jego kody już nie działają. Wybierz „Wyślij kod ponownie”, aby dostać nowy.
code-login-other-account = Zaloguj się na inne konto

## Potwierdź, że to Ty (ponowne uwierzytelnienie).

confirm-identity-title = Potwierdź, że to Ty
confirm-identity-step-1 = Krok 1 z 2
confirm-identity-lead-password = Zmiana hasła lub adresu e-mail, wyłączenie uwierzytelniania dwuskładnikowego albo zresetowanie go innemu agentowi wymaga Twojego hasła, wpisanego w ciągu { $minutes ->
    [one] ostatniej minuty
    [few] ostatnich { $minutes } minut
   *[many] ostatnich { $minutes } minut
}.
confirm-identity-lead-passkey = Zmiana hasła lub adresu e-mail, wyłączenie uwierzytelniania dwuskładnikowego albo zresetowanie go innemu agentowi wymaga Twojego hasła i klucza dostępu lub klucza bezpieczeństwa, użytych w ciągu { $minutes ->
    [one] ostatniej minuty
    [few] ostatnich { $minutes } minut
   *[many] ostatnich { $minutes } minut
}.
confirm-identity-lead-app = Zmiana hasła lub adresu e-mail, wyłączenie uwierzytelniania dwuskładnikowego albo zresetowanie go innemu agentowi wymaga Twojego hasła i kodu z aplikacji uwierzytelniającej, wpisanych w ciągu { $minutes ->
    [one] ostatniej minuty
    [few] ostatnich { $minutes } minut
   *[many] ostatnich { $minutes } minut
}.
# Po nim pogrubiony, zamaskowany adres, potem confirm-identity-lead-email-end.
confirm-identity-lead-email = Zmiana hasła lub adresu e-mail, wyłączenie uwierzytelniania dwuskładnikowego albo zresetowanie go innemu agentowi wymaga Twojego hasła i kodu, który wyślemy na adres
confirm-identity-lead-email-end = , wpisanych w ciągu { $minutes ->
    [one] ostatniej minuty
    [few] ostatnich { $minutes } minut
   *[many] ostatnich { $minutes } minut
}.
confirm-identity-current-password = Obecne hasło
confirm-identity-continue = Dalej
confirm-identity-confirm = Potwierdź
confirm-identity-back = Wróć do ustawień konta
confirm-identity-wrong-password = To nie jest Twoje obecne hasło.
confirm-identity-purpose = Wpisz go, aby kontynuować.
confirm-identity-nothing-waiting = Nie czekamy na żaden kod. Zacznij od nowa, podając hasło.
confirm-identity-resend = Wyślij nowy kod
confirm-identity-needs-new-code = Wpisano zbyt wiele błędnych kodów, więc ten kod już nie działa. Wybierz „Wyślij nowy kod”.

## Nie pamiętasz hasła i link do jego zmiany.

password-forgot-title = Nie pamiętasz hasła?
password-forgot-sent = Jeśli ten adres należy do jakiegoś konta, wysłaliśmy na niego link do ustawienia nowego hasła. Link zadziała jeden raz, przez { $minutes ->
    [one] { $minutes } minutę
    [few] { $minutes } minuty
   *[many] { $minutes } minut
}.
password-forgot-no-email = Po kilku minutach nadal nie ma e-maila? Sprawdź folder ze spamem albo zwróć się do administratora.
password-forgot-lead = Podaj adres e-mail, którym się logujesz. Wyślemy Ci link do ustawienia nowego hasła.
password-forgot-submit = Wyślij mi link
password-back-to-login = Wróć do strony logowania
password-reset-title = Ustaw nowe hasło
# Po nim pogrubiony adres i kropka.
password-reset-for = Dla konta
password-reset-lead = Twoje pozostałe sesje zostaną wylogowane. Jeśli masz włączone uwierzytelnianie dwuskładnikowe, przy logowaniu nadal poprosimy Cię o kod.
password-new-label = Nowe hasło
password-repeat-new-label = Powtórz nowe hasło
password-reset-submit = Ustaw nowe hasło
password-help = Co najmniej 15 znaków. Krótka fraza z kilku słów jest łatwa do zapamiętania i trudna do odgadnięcia. Hasło nie może zawierać Twojego adresu e-mail ani jego części przed @, jeśli ma ona 4 znaki lub więcej.
password-repeat-label = Powtórz hasło

## Pierwsza konfiguracja.

setup-title = Konfiguracja AgentGate
setup-eyebrow = Pierwsze uruchomienie
setup-lead = Utwórz swoją firmę i pierwsze konto administratora. Ta strona działa tylko raz: później administratorzy dodają agentów na karcie „Agenci”.
setup-company-label = Nazwa firmy
setup-name-label = Imię i nazwisko
setup-email-help = Tym adresem będziesz się logować i na niego przyjdą kody logowania.
setup-submit = Utwórz firmę
setup-link-hint = AgentGate nie jest jeszcze skonfigurowany. Przy uruchomieniu serwer wypisał w konsoli i w dzienniku link konfiguracyjny ({ $link }): otwórz go, aby utworzyć swoją firmę i jej pierwszego administratora. Po ponownym uruchomieniu serwer wypisze nowy link.

## Link z zaproszenia.

invitation-title = Ustaw hasło
invitation-eyebrow = Zaproszenie
invitation-heading = Witaj, { $name }
invitation-lead = Ustaw hasło, aby logować się do helpdesku firmy { $company }.
# Po nim pogrubiony adres i kropka.
invitation-login-name = Logujesz się adresem
invitation-submit = Ustaw hasło

## Skrzynka deweloperska.

dev-mailbox-title = Skrzynka pocztowa (tryb deweloperski)
dev-mailbox-eyebrow = Tryb deweloperski
dev-mailbox-heading = Skrzynka pocztowa
# Po nim ustawienie w nawiasie i kropka.
dev-mailbox-lead = Każdy e-mail wysłany przez AgentGate, od najnowszego, zapisany w bazie danych zamiast doręczenia
dev-mailbox-warning = Każdy, kto może otworzyć tę stronę, może przeczytać każdy kod. Skonfiguruj SMTP, zanim ktokolwiek inny zacznie korzystać z tego serwera.
dev-mailbox-filter-label = Tylko e-maile do
dev-mailbox-filter = Filtruj
dev-mailbox-empty = Nie ma jeszcze żadnego e-maila.
dev-mailbox-entry-label = E-mail do { $recipient }
# Przed adresem odbiorcy: „14:05 · do ada@acme.test · …”.
dev-mailbox-to = do
dev-mailbox-message = Treść

## Komunikaty pokazywane po przekierowaniu.

notice-setup-done = Twoja firma jest gotowa. Zaloguj się adresem e-mail i hasłem podanymi przed chwilą.
notice-logged-out = Wylogowano Cię.
notice-saved = Twoje ustawienia zostały zaktualizowane.
notice-password-changed = Twoje hasło zostało zmienione. Pozostałe sesje zostały wylogowane.
notice-invitation-accepted = Hasło jest ustawione. Zaloguj się swoim adresem e-mail i hasłem ustawionym przed chwilą.
notice-login-expired = Logowanie trwało zbyt długo i zostało przerwane. Wpisz ponownie adres e-mail i hasło.
notice-code-resent = Nowy kod jest w drodze. Wcześniejsze kody działają do czasu wygaśnięcia.
notice-code-not-sent = W ostatnim czasie na Twój adres wysłano zbyt wiele kodów, więc nie wysłaliśmy nowego. Odczekaj kilka minut, a potem poproś o nowy kod.
notice-confirmation-sent = Wysłaliśmy Ci kod e-mailem. Wpisz go tutaj, aby włączyć uwierzytelnianie dwuskładnikowe.
notice-two-factor-enabled = Uwierzytelnianie dwuskładnikowe jest włączone. Przy każdym logowaniu poprosimy Cię o kod wysłany na Twój adres e-mail.
notice-two-factor-disabled = Uwierzytelnianie dwuskładnikowe jest wyłączone. Wysłaliśmy Ci e-mail o tej zmianie.
notice-authenticator-added = Aplikacja uwierzytelniająca jest włączona. Przy każdym logowaniu poprosimy Cię o kod, który pokazuje.
notice-authenticator-removed = Aplikacja uwierzytelniająca została usunięta. Wysłaliśmy Ci e-mail o tej zmianie.
notice-passkey-added = Klucz dostępu został dodany. Możesz teraz logować się nim z hasłem lub bez hasła.
notice-passkey-removed = Klucz dostępu został usunięty. Wysłaliśmy Ci e-mail o tej zmianie.
notice-passkey-failed = Nie udało się zalogować tym kluczem dostępu. Użyj adresu e-mail i hasła albo spróbuj klucza jeszcze raz.
notice-passkey-expired = Logowanie kluczem dostępu trwało zbyt długo. Spróbuj ponownie.
notice-two-factor-cancelled = Uwierzytelnianie dwuskładnikowe nie zostało włączone.
notice-trusted-computer-forgotten = Ten komputer nie jest już zaufany: logowanie z niego znów wymaga kodu.
notice-trusted-computers-forgotten = Żaden z Twoich komputerów nie jest już zaufany: każde logowanie znów wymaga kodu.
notice-password-reset = Hasło zostało zmienione, a Twoje sesje wylogowane. Zaloguj się nowym hasłem.
notice-step-up-expired = Potwierdzanie tożsamości trwało zbyt długo albo zostało rozpoczęte ponownie gdzie indziej. Wpisz hasło jeszcze raz.
notice-email-code-sent = Wysłaliśmy kod na nowy adres. Wpisz go tutaj, aby dokończyć zmianę.
notice-email-changed = Twój adres e-mail został zmieniony: od teraz loguj się nowym. Powiadomiliśmy stary adres, wylogowaliśmy Twoje pozostałe sesje i wyczyściliśmy listę Twoich zaufanych komputerów.
notice-email-change-cancelled = Twój adres e-mail nie został zmieniony.
notice-invited = Agent został dodany i dostał e-mailem link z zaproszeniem, ważny przez 7 dni.
notice-invitation-resent = Wysłaliśmy e-mailem nowy link z zaproszeniem. Poprzedni link już nie działa.
notice-deactivated = Agent został dezaktywowany: jego sesje zostały zakończone, a lista jego zaufanych komputerów wyczyszczona.
notice-reactivated = Agent został ponownie aktywowany i znów może się logować.
notice-two-factor-reset = Uwierzytelnianie dwuskładnikowe agenta zostało zresetowane: jest wyłączone, lista jego zaufanych komputerów została wyczyszczona, a agent dostał e-mail w tej sprawie.
notice-role-changed = Rola została zmieniona.
notice-policy-saved = Zasady firmy zostały zapisane.
notice-session-signed-out = Ta sesja została wylogowana: następna strona otwarta w niej przeniesie na stronę logowania.
notice-other-sessions-signed-out = Pozostałe sesje zostały wylogowane. Ta sesja pozostaje zalogowana.
notice-signed-out-everywhere = Agent został wylogowany wszędzie: każda jego przeglądarka przy otwarciu następnej strony przejdzie do logowania.
