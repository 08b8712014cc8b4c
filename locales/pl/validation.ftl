## Co odrzuca formularz, pole lub krok uwierzytelniania i dlaczego.

validation-correct-following = Popraw następujące błędy:
# Etykieta pola i to, co jest z nim nie tak: „Nazwa firmy: Wpisz nazwę.”
validation-field = { $field }: { $error }
validation-password-needs-email = Najpierw podaj prawidłowy adres e-mail: hasło jest z nim porównywane.
validation-form-unreadable = Nie udało się odczytać formularza.
validation-form-malformed = Formularz był niekompletny lub uszkodzony. Wróć i spróbuj ponownie.
validation-form-invalid-text = Formularz zawierał znaki, które nie są prawidłowym tekstem.
validation-code-empty = Wpisz 6-cyfrowy kod z e-maila.
validation-code-malformed = Kod ma 6 cyfr (od 0 do 9). Sprawdź e-mail i spróbuj ponownie.
validation-email-empty = Podaj adres e-mail.
validation-email-too-long = Ten adres e-mail jest za długi.
validation-email-invalid = Podaj prawidłowy adres e-mail, na przykład { $example }.
validation-name-empty = Wpisz nazwę.
validation-name-too-long = Ta nazwa jest za długa (może mieć najwyżej { $max ->
    [one] { $max } znak
    [few] { $max } znaki
   *[many] { $max } znaków
}).
validation-name-control = Nazwy nie mogą zawierać znaków sterujących.
validation-name-invisible = Nazwy nie mogą zawierać niewidocznych znaków ani znaków zmieniających kierunek tekstu.
validation-name-nothing-visible = Wpisz nazwę z co najmniej jednym widocznym znakiem.
validation-password-too-short = Hasło musi mieć co najmniej { $min ->
    [one] { $min } znak
    [few] { $min } znaki
   *[many] { $min } znaków
}. Dobrze sprawdza się krótka fraza z kilku słów.
validation-password-too-long = Hasło może mieć najwyżej { $max ->
    [one] { $max } znak
    [few] { $max } znaki
   *[many] { $max } znaków
}.
validation-password-common = To hasło jest jednym z najczęściej używanych. Wybierz inne.
validation-password-product-name = Hasło nie może zawierać nazwy produktu.
validation-password-email = Hasło nie może zawierać Twojego adresu e-mail.
validation-password-email-name = Hasło nie może zawierać „{ $name }”, czyli części Twojego adresu e-mail przed @.
validation-password-mismatch = Wpisane nowe hasła nie są takie same.
validation-password-control = Hasło nie może zawierać znaków sterujących, takich jak podział wiersza czy tabulator (nie da się ich wpisać w pole hasła).
validation-recovery-code = Kod odzyskiwania ma 24 litery i cyfry w grupach, na przykład { $example }.
validation-search-too-long = Wyszukiwany tekst jest za długi (może mieć najwyżej { $max ->
    [one] { $max } znak
    [few] { $max } znaki
   *[many] { $max } znaków
}).
validation-search-too-many-words = Wyszukiwany tekst ma za dużo słów (najwyżej { $max }).
validation-search-control = Wyszukiwany tekst nie może zawierać znaków sterujących.

## Odmowy kroków uwierzytelniania.

auth-email-in-use = Konto z tym adresem e-mail już istnieje.
auth-unknown-email = Żaden agent nie ma tego adresu e-mail.
auth-setup-closed = Ten link konfiguracyjny już nie działa. AgentGate jest już skonfigurowany, więc po prostu się zaloguj.
auth-app-none = Na Twoim koncie nie ma aplikacji uwierzytelniającej.
auth-app-last-factor = Twoja firma wymaga uwierzytelniania dwuskładnikowego, a aplikacja jest Twoim jedynym drugim składnikiem. Najpierw włącz kody wysyłane e-mailem albo zwróć się do administratora.
auth-email-unchanged = To już jest Twój adres e-mail.
auth-email-taken = Tego adresu e-mail używa już inne konto. Wybierz inny.
# Czas oczekiwania, po „spróbuj ponownie za”: „minutę”, „12 minut”.
auth-wait-minutes = { $count ->
    [one] minutę
    [few] { $count } minuty
   *[many] { $count } minut
}
auth-login-throttled = Zbyt wiele nieudanych prób logowania. Aby chronić konto, wstrzymaliśmy logowanie: spróbuj ponownie za { $wait }. Jeśli nie pamiętasz hasła, zamiast zgadywać, poproś o jego zresetowanie.
auth-limit-email-change = W ostatnim czasie było zbyt wiele prób zmiany Twojego adresu e-mail. Możesz spróbować ponownie za { $wait }.
auth-limit-password-reset = W ostatnim czasie poproszono o zbyt wiele e-maili do resetowania hasła. Aby chronić skrzynki przed zalewem wiadomości, możesz poprosić ponownie za { $wait }. Link, który już dotarł, nadal działa.
auth-limit-invitation = W ostatnim czasie wysłano zbyt wiele zaproszeń. Aby chronić skrzynki przed zalewem wiadomości, kolejne możesz wysłać za { $wait }.
auth-passkey-expired = Trwało to zbyt długo albo strona została użyta dwukrotnie. Spróbuj dodać klucz dostępu jeszcze raz.
auth-passkey-failed = Nie udało się zweryfikować klucza dostępu. Spróbuj ponownie albo użyj innego klucza dostępu lub klucza bezpieczeństwa.
auth-passkey-registered = Ten klucz dostępu jest już zarejestrowany.
auth-passkey-too-many = Masz już tyle kluczy dostępu, ile może mieć jedno konto ({ $max }). Najpierw usuń któryś z nich.
auth-passkey-not-found = Na Twoim koncie nie ma takiego klucza dostępu.
auth-passkey-last-factor = Twoja firma wymaga uwierzytelniania dwuskładnikowego, a ten klucz dostępu jest Twoim jedynym drugim składnikiem. Najpierw dodaj inny albo zwróć się do administratora.
auth-reset-link-not-valid = Ten link do resetowania hasła wygasł albo został już użyty. Poproś o nowy.
auth-trust-not-allowed = Twoja firma nie zezwala na zaufane komputery, więc każde logowanie wymaga kodu.
auth-trust-admins-enter-code = Twoja firma wymaga od administratorów wpisywania kodu przy każdym logowaniu, więc tego komputera nie można oznaczyć jako zaufanego, aby pomijać kod.

## Pobierany plik z kodami odzyskiwania (zwykły tekst).

auth-recovery-file-title = Kody odzyskiwania AgentGate dla { $account }
auth-recovery-file-made = Utworzone { $time }. Każdy kod działa tylko raz; nowy zestaw unieważnia te kody.
auth-recovery-file-keep = Przechowuj je w bezpiecznym miejscu, z dala od komputera.
