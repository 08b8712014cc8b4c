## Wiadomości e-mail. Każda wita, mówi, co się stało, kiedy i z jakiej
## przeglądarki, oraz co zrobić, jeśli to nie był czytelnik.

email-hello = Cześć { $name },
email-context = Stało się to { $at } w przeglądarce { $browser } (adres IP { $ip }).
email-or-open = Albo otwórz { $url }
email-open-account-setting = Otwórz Ustawienia konta
email-reset-your-password = Zresetuj hasło
email-not-you-change-password = Jeśli to nie Ty, zmień teraz hasło: ktoś, kto to zrobił, je zna.
email-not-you-remove-passkey = Jeśli to nie Ty, usuń teraz ten klucz dostępu w Ustawieniach konta i powiadom administratora.

## Wiadomości z kodem.

email-code-validity = Kod działa przez { $minutes ->
    [one] { $minutes } minutę
    [few] { $minutes } minuty
   *[many] { $minutes } minut
}, do { $expires }, i tylko raz.
email-code-requested = Prośba o kod: { $at }, przeglądarka { $browser } (adres IP { $ip }).
email-code-not-you-lead = Jeśli to nie Ty
email-code-not-you-rest = , ktoś zna Twoje hasło: zmień je teraz na stronie
email-code-never-share = Nigdy nikomu nie podawaj tego kodu; pracownicy AgentGate nigdy o niego nie poproszą.
email-code-unrequested = Jeśli to nie Ty o to prosisz, zignoruj tę wiadomość: nic się nie zmieni, dopóki kod nie zostanie wpisany. Nigdy nikomu nie podawaj tego kodu.
email-login-code-subject = Kod logowania AgentGate: { $code }
email-login-code-heading = Twój kod logowania
email-login-code-intro = Ktoś wpisał Twoje hasło na stronie logowania AgentGate. Aby dokończyć logowanie, wpisz ten kod:
email-confirm-code-subject = Kod potwierdzający AgentGate: { $code }
email-confirm-code-heading = Potwierdź uwierzytelnianie dwuskładnikowe
email-confirm-code-intro = Chcesz włączyć uwierzytelnianie dwuskładnikowe. Aby potwierdzić, że kody docierają na ten adres, wpisz ten kod w Ustawieniach konta:
email-identity-code-subject = Kod bezpieczeństwa AgentGate: { $code }
email-identity-code-heading = Potwierdź, że to Ty
email-identity-code-intro = Za chwilę zmienisz ustawienie bezpieczeństwa swojego konta AgentGate (hasło, adres e-mail lub uwierzytelnianie dwuskładnikowe). Aby potwierdzić, że to Ty, wpisz ten kod:
email-change-code-subject = Kod zmiany adresu e-mail AgentGate: { $code }
email-change-code-heading = Potwierdź nowy adres e-mail
email-change-code-intro = Chcesz używać tego adresu w swoim koncie AgentGate. Aby potwierdzić, że poczta do Ciebie dociera, wpisz ten kod w AgentGate; adres zmieni się dopiero wtedy:

## Powiadomienia o bezpieczeństwie.

email-codes-locked-subject = AgentGate: kody logowania do Twojego konta są zablokowane
email-codes-locked-reset-subject = AgentGate: kody logowania zablokowane do czasu zresetowania hasła
email-codes-locked-title = Zbyt wiele błędnych kodów logowania
email-codes-locked-until = Do Twojego konta { $count ->
    [one] wpisano { $count } błędny kod logowania
    [few] wpisano { $count } błędne kody logowania z rzędu
   *[many] wpisano { $count } błędnych kodów logowania z rzędu
}, więc do { $until } żaden kod nie zostanie wysłany ani przyjęty.
email-codes-locked-until-reset = Do Twojego konta { $count ->
    [one] wpisano { $count } błędny kod logowania
    [few] wpisano { $count } błędne kody logowania z rzędu
   *[many] wpisano { $count } błędnych kodów logowania z rzędu
}, więc żaden kod nie zostanie wysłany ani przyjęty, dopóki nie zresetujesz hasła albo administrator nie zresetuje Twojego uwierzytelniania dwuskładnikowego.
email-codes-locked-password-was-right = Każda z tych prób zaczęła się od wpisania Twojego poprawnego hasła.
email-codes-locked-warning = Zmień teraz hasło: ktoś, kto wpisywał te kody, je zna.
email-under-attack-subject = AgentGate: nieudane logowania do Twojego konta z nowych przeglądarek
email-under-attack-title = Ktoś może próbować odgadnąć Twoje hasło
email-under-attack-count = Od { $since } { $count ->
    [one] odnotowaliśmy { $count } nieudane logowanie
    [few] odnotowaliśmy { $count } nieudane logowania
   *[many] odnotowaliśmy { $count } nieudanych logowań
} do Twojego konta z przeglądarek, w których się nie logujesz.
email-under-attack-paused = Logowania z nowych przeglądarek są na jakiś czas wstrzymane. Nie dotyczy to przeglądarek, w których logowałeś się wcześniej: możesz pracować jak zwykle.
email-under-attack-warning = Jeśli Twoje hasło jest słabe albo używasz go gdzie indziej, zmień je teraz.
email-abandoned-subject = AgentGate: użyto Twojego hasła, ale nie wpisano kodu
email-abandoned-title = Wpisano Twoje hasło, ale logowanie nie zostało dokończone
email-abandoned-what = Ktoś wpisał Twoje poprawne hasło na stronie logowania AgentGate, ale potem nie wpisał kodu logowania.
email-abandoned-ignore = Jeśli to Ty zacząłeś logowanie i z niego zrezygnowałeś, zignoruj tę wiadomość.
email-2fa-on-subject = AgentGate: uwierzytelnianie dwuskładnikowe jest włączone
email-2fa-on-title = Uwierzytelnianie dwuskładnikowe jest włączone
email-2fa-on-what = Od teraz przy każdym logowaniu poprosimy o kod wysłany na ten adres.
email-2fa-off-subject = AgentGate: uwierzytelnianie dwuskładnikowe zostało wyłączone
email-2fa-off-title = Uwierzytelnianie dwuskładnikowe zostało wyłączone
email-2fa-off-what = Uwierzytelnianie dwuskładnikowe Twojego konta zostało wyłączone. Do logowania wystarczy teraz samo hasło.
email-app-added-subject = AgentGate: do Twojego konta dodano aplikację uwierzytelniającą
email-app-added-title = Dodano aplikację uwierzytelniającą
email-app-added-what = Od teraz przy każdym logowaniu poprosimy o kod z Twojej aplikacji uwierzytelniającej.
email-app-removed-subject = AgentGate: z Twojego konta usunięto aplikację uwierzytelniającą
email-app-removed-title = Usunięto aplikację uwierzytelniającą
email-app-removed-what = Kody z tej aplikacji nie będą już przyjmowane przy logowaniu.
email-passkey-added-subject = AgentGate: do Twojego konta dodano klucz dostępu
email-passkey-added-title = Dodano klucz dostępu
email-passkey-added-what = Klucz dostępu lub klucz bezpieczeństwa „{ $name }” może teraz logować Cię do AgentGate.
email-passkey-removed-subject = AgentGate: z Twojego konta usunięto klucz dostępu
email-passkey-removed-title = Usunięto klucz dostępu
email-passkey-removed-what = Klucz dostępu lub klucz bezpieczeństwa „{ $name }” nie loguje Cię już do AgentGate.
email-passkey-sign-in-subject = AgentGate: zalogowano Cię kluczem dostępu w nowej przeglądarce
email-passkey-sign-in-title = Logowanie kluczem dostępu
email-passkey-sign-in-what = Twój klucz dostępu „{ $name }” zalogował Cię bez hasła w przeglądarce, której wcześniej nie używałeś do AgentGate.
email-recovery-made-subject = AgentGate: nowe kody odzyskiwania do Twojego konta
email-recovery-made-title = Utworzono nowe kody odzyskiwania
email-recovery-made-what = Dla Twojego konta utworzono nowy zestaw 10 kodów odzyskiwania. Kody z wcześniejszych zestawów już nie działają.
email-recovery-used-subject = AgentGate: do logowania użyto kodu odzyskiwania
email-recovery-used-title = Użyto kodu odzyskiwania
email-recovery-used-what = Do zalogowania się na Twoje konto użyto kodu odzyskiwania. Każdy kod działa tylko raz.
email-recovery-used-left = { $left ->
    [0] Nie zostały Ci żadne kody odzyskiwania: utwórz teraz nowy zestaw w Ustawieniach konta.
    [one] Został Ci { $left } kod odzyskiwania.
    [2] Zostały Ci { $left } kody odzyskiwania: wkrótce utwórz nowy zestaw w Ustawieniach konta.
    [3] Zostały Ci { $left } kody odzyskiwania: wkrótce utwórz nowy zestaw w Ustawieniach konta.
    [few] Zostały Ci { $left } kody odzyskiwania.
   *[many] Zostało Ci { $left } kodów odzyskiwania.
}
email-2fa-reset-subject = AgentGate: Twoje uwierzytelnianie dwuskładnikowe zostało zresetowane
email-2fa-reset-title = Twoje uwierzytelnianie dwuskładnikowe zostało zresetowane
email-2fa-reset-what = { $by } wyłączył(a) uwierzytelnianie dwuskładnikowe Twojego konta { $at }, a Twoje zaufane komputery zostały zapomniane.
email-2fa-reset-again = Włącz je ponownie w Ustawieniach konta.
email-2fa-reset-warning = Jeśli to nie Ty o to prosiłeś, powiadom administratora.
email-trusted-subject = AgentGate: dodano nowy zaufany komputer
email-trusted-title = Dodano nowy zaufany komputer
email-trusted-what = Przeglądarka { $browser } została oznaczona jako zaufany komputer Twojego konta po wpisaniu w niej Twojego hasła i kodu logowania.
email-trusted-until = Logowanie do Twojego konta z tej przeglądarki nie będzie wymagać kodu do { $until }. Każda inna przeglądarka i każde inne urządzenie nadal o niego poprosi.
email-trusted-warning = Jeśli to nie Ty, zapomnij ten komputer w Ustawieniach konta (Zaufane komputery) i zmień hasło: ktoś, kto to zrobił, zna je i mógł odczytać Twój kod.
email-trusted-review = Przejrzyj zaufane komputery
email-password-changed-subject = AgentGate: Twoje hasło zostało zmienione
email-password-changed-title = Twoje hasło zostało zmienione
email-password-changed-what = Hasło Twojego konta AgentGate zostało zmienione. Pozostałe sesje zostały wylogowane, a zaufane komputery zapomniane.
email-password-changed-warning = Jeśli to nie Ty, zresetuj teraz hasło i powiadom administratora.
email-address-changed-subject = AgentGate: Twój adres e-mail został zmieniony
email-address-changed-title = Twój adres e-mail został zmieniony
email-address-changed-what = Adres e-mail Twojego konta AgentGate został zmieniony z tego na { $address }. Kody logowania i powiadomienia trafiają teraz tam i to nim się logujesz.
email-address-changed-signed-out = Pozostałe sesje zostały wylogowane, a zaufane komputery zapomniane.
email-address-changed-warning = Jeśli to nie Ty, natychmiast powiadom administratora: ktoś, kto to zrobił, zna Twoje hasło i teraz otrzymuje Twoje kody.
email-reset-subject = AgentGate: zresetuj hasło
email-reset-title = Zresetuj hasło
email-reset-what = Ktoś poprosił o zresetowanie hasła Twojego konta AgentGate. Poniższy link działa raz, przez { $minutes ->
    [one] { $minutes } minutę
    [few] { $minutes } minuty
   *[many] { $minutes } minut
}.
email-reset-still-code = Jeśli masz włączone uwierzytelnianie dwuskładnikowe, przy logowaniu nadal poprosimy o kod.
email-reset-warning = Jeśli to nie Ty, zignoruj tę wiadomość: Twoje hasło pozostanie bez zmian.
email-reset-link = Wybierz nowe hasło
email-invitation-subject = Zaproszenie do helpdesku { $company } w AgentGate
email-invitation-title = Wybierz hasło
email-invitation-what = { $inviter } zaprasza Cię do logowania się do helpdesku { $company } przez AgentGate. Twój login to { $email }.
email-invitation-until = Wybierz hasło, korzystając z poniższego linku. Działa raz, do { $until }.
email-invitation-warning = Jeśli nie spodziewałeś się tego zaproszenia, możesz zignorować tę wiadomość.
email-invitation-link = Wybierz hasło
email-check-subject = Testowa wiadomość AgentGate
email-check-title = Wysyłanie e-maili z AgentGate działa
email-check-what = Tę testową wiadomość wysłało polecenie `agentgate check-mail` przez { $transport }.
email-check-same-way = Kody logowania, zaproszenia i powiadomienia o bezpieczeństwie docierają do agentów tą samą drogą.
email-2fa-reset-by-cli = Administrator (z wiersza poleceń serwera)
