## Karta Agenci (/agents): tabela, jej podsumowanie i CSV, strona agenta,
## dodawanie agenta, strony potwierdzeń, zasady firmy oraz strona Aktywność
## z nazwami zdarzeń.
##
## Liczby: $count to sama liczba (wybiera formę: one 1, few 2–4, 22–24…,
## many 5–21, 25…); liczba, która jest też wyświetlana ($active, $total,
## $first…), przychodzi już zapisana z separatorami tysięcy.
## Agent jest rodzaju męskoosobowego: po liczebniku „z 2 agentów”, „z 5 agentów”.

### Tabela

agents-heading = Agenci
agents-add = Dodaj agenta
agents-export-csv = Eksportuj do CSV
# $count: aktywni agenci; $enabled i $active: liczby do wyświetlenia.
agents-summary-enabled = { $count ->
    [one] { $enabled } z { $active } agenta ma włączone uwierzytelnianie dwuskładnikowe
    [few] { $enabled } z { $active } agentów ma włączone uwierzytelnianie dwuskładnikowe
   *[many] { $enabled } z { $active } agentów ma włączone uwierzytelnianie dwuskładnikowe
}
agents-summary-app = { $count ->
    [one] { $with_app } z { $active } agenta używa aplikacji uwierzytelniającej
    [few] { $with_app } z { $active } agentów używa aplikacji uwierzytelniającej
   *[many] { $with_app } z { $active } agentów używa aplikacji uwierzytelniającej
}
agents-summary-passkey = { $count ->
    [one] { $with_passkey } z { $active } agenta używa klucza dostępu lub klucza bezpieczeństwa (odpornego na phishing)
    [few] { $with_passkey } z { $active } agentów używa klucza dostępu lub klucza bezpieczeństwa (odpornego na phishing)
   *[many] { $with_passkey } z { $active } agentów używa klucza dostępu lub klucza bezpieczeństwa (odpornego na phishing)
}
agents-search-label = Szukaj po imieniu, nazwisku lub adresie e-mail
agents-search-help = Wpisz początek dowolnego słowa z imienia i nazwiska albo początek adresu e-mail.
agents-filter-all = Wszystkie
agents-filter-email-only = Tylko e-mail
agents-filter-app = Z aplikacją
agents-filter-phishing-resistant = Odporne na phishing
agents-filter-not-phishing-resistant = Nieodporne na phishing
agents-filter-show = Pokaż
agents-filter-clear = Wyczyść
agents-column-name = Imię i nazwisko
agents-column-email = Adres e-mail
agents-column-role = Rola
agents-column-two-factor = Uwierzytelnianie dwuskładnikowe
agents-column-trusted-computers = Zaufane komputery
agents-column-last-login = Ostatnie logowanie
agents-column-status = Status
agents-role-agent = Agent
agents-role-admin = Administrator
# Stan uwierzytelniania dwuskładnikowego (rodzaj nijaki).
agents-two-factor-enabled = Włączone
agents-two-factor-pending = Oczekuje
agents-two-factor-disabled = Wyłączone
# Stan konta (rodzaj nijaki: bez zgadywania płci agenta).
agents-status-active = Aktywne
agents-status-invited = Zaproszenie wysłane
agents-status-invited-no-link = Zaproszenie (link nieważny)
agents-status-deactivated = Dezaktywowane
agents-not-compliant = Nie spełnia zasad
agents-due = Termin: { $date }
agents-method-passkeys = { $count ->
    [one] Klucz dostępu
    [few] { $count } klucze dostępu
   *[many] { $count } kluczy dostępu
}
agents-method-app = Aplikacja
agents-method-app-not-counted = Aplikacja (nie liczy się)
agents-method-email = E-mail
agents-method-email-not-counted = E-mail (nie liczy się)
# Pozostałe kody odzyskiwania.
agents-method-codes = { $count ->
    [one] { $count } kod
    [few] { $count } kody
   *[many] { $count } kodów
}
agents-showing = { $search ->
    [yes] { $count ->
        [one] Pasuje tylko jeden agent.
        [few] Wyświetlono { $first }–{ $last } z { $total } pasujących agentów.
       *[many] Wyświetlono { $first }–{ $last } z { $total } pasujących agentów.
    }
   *[no] { $count ->
        [one] Na liście jest tylko jeden agent.
        [few] Wyświetlono { $first }–{ $last } z { $total } agentów.
       *[many] Wyświetlono { $first }–{ $last } z { $total } agentów.
    }
}
agents-showing-none = Nie pasuje żaden agent.
agents-showing-past = Ta strona wykracza poza ostatnią.
agents-showing-broad-past = { $count ->
    [one] Pasuje co najmniej { $total } agent; na liście jest tylko pierwszych { $shown }. Zawęź wyszukiwanie, żeby zobaczyć pozostałych.
    [few] Pasuje co najmniej { $total } agentów; na liście jest tylko pierwszych { $shown }. Zawęź wyszukiwanie, żeby zobaczyć pozostałych.
   *[many] Pasuje co najmniej { $total } agentów; na liście jest tylko pierwszych { $shown }. Zawęź wyszukiwanie, żeby zobaczyć pozostałych.
}
agents-showing-broad = Wyświetlono { $first }–{ $last } z co najmniej { $total } pasujących agentów (na liście jest tylko pierwszych { $shown }; zawęź wyszukiwanie, żeby zobaczyć pozostałych).
agents-pages = Strony
agents-previous = Poprzednia
agents-next = Następna
agents-page-of = Strona { $page } z { $pages }
# $cause: komunikat serwera pocztowego (bez tłumaczenia).
agents-mail-warning = E-maile nie są dostarczane od { $since }: { $cause }
# Wartości po „użyj” pochodzą z adresu strony: nie tłumaczymy ich.
agents-error-two-factor-filter = Nieznany filtr uwierzytelniania dwuskładnikowego: użyj enabled, pending, disabled, email_only, app, phishing_resistant lub not_phishing_resistant.
agents-error-sort = Nieznane sortowanie: użyj name, email, role, two_factor, trusted_computers, last_login lub status, z minusem na początku dla kolejności malejącej.
agents-error-page = Numer strony musi być liczbą całkowitą od 1 w górę.
# Wiersz poleceń (agentgate seed-demo); --force to nazwa opcji.
agents-seed-real-data = ta baza danych zawiera już firmę; seed-demo służy do baz demonstracyjnych i testów wydajności (dodaj --force, żeby mimo to dodać agentów)

### Eksport CSV: wszystkie godziny w UTC, w formacie ISO 8601.

agents-csv-last-login = Ostatnie logowanie (UTC, ISO 8601)
agents-csv-email-codes = Kody z e-maila
agents-csv-app = Aplikacja uwierzytelniająca
agents-csv-recovery-codes = Pozostałe kody odzyskiwania
agents-csv-passkeys = Klucze dostępu
# Stan aplikacji uwierzytelniającej (rodzaj żeński).
agents-csv-app-enabled = Włączona
agents-csv-app-disabled = Wyłączona

### Strona agenta

agent-back = ← Agenci
agent-added = Dodano
agent-invitation-open = Zaproszenie wysłane; link działa do { $until }.
agent-invitation-expired = Link z zaproszeniem wygasł albo nie został wysłany: wyślij nowy.
agent-resend-invitation = Wyślij zaproszenie ponownie
agent-reset-two-factor = Zresetuj uwierzytelnianie dwuskładnikowe
agent-deactivate = Dezaktywuj
agent-reactivate = Aktywuj ponownie
agent-sessions-heading = Zalogowane sesje
agent-sessions-none = Brak zalogowanych sesji.
agent-session-browser = Przeglądarka
agent-session-ip = Adres IP
agent-session-signed-in = Zalogowano
agent-session-last-seen = Ostatnia aktywność
agent-sign-out-everywhere = Wyloguj ze wszystkich sesji
agent-change-role = Zmień rolę
agent-role-help-self = To Ty: jeśli zmienisz swoją rolę na agenta, stracisz dostęp do tej karty.
# W e-mailu do agenta, któremu administrator zresetował 2FA, w jego języku:
# „{ $by } wyłączył(a) uwierzytelnianie dwuskładnikowe…” (email.ftl).
agent-reset-by = { $name }, administrator firmy { $company },

### Dodawanie agenta

agent-new-lead = { $days ->
    [one] Ta osoba dostanie e-mailem link do ustawienia hasła, ważny przez { $days } dzień. Do tego czasu na karcie Agenci widnieje jako zaproszona.
    [few] Ta osoba dostanie e-mailem link do ustawienia hasła, ważny przez { $days } dni. Do tego czasu na karcie Agenci widnieje jako zaproszona.
   *[many] Ta osoba dostanie e-mailem link do ustawienia hasła, ważny przez { $days } dni. Do tego czasu na karcie Agenci widnieje jako zaproszona.
}
agent-new-email-help = Służy do logowania; na ten adres trafią zaproszenie i kody logowania.
agent-new-submit = Dodaj agenta i wyślij zaproszenie
agent-new-error-name = Imię i nazwisko: { $error }
agent-new-error-email = Adres e-mail: { $error }
agent-new-error-role = Rola: wybierz „Agent” albo „Administrator”.
agent-error-role = Wybierz rolę: „Agent” albo „Administrator”.

### Potwierdzanie działań na koncie agenta

agent-confirm-cancel = Anuluj
agent-confirm-back = Wróć do agenta
agent-confirm-deactivate-title = Dezaktywować konto { $name }?
agent-confirm-reactivate-title = Aktywować ponownie konto { $name }?
agent-confirm-reset-two-factor-title = Zresetować uwierzytelnianie dwuskładnikowe konta { $name }?
agent-confirm-sign-out-everywhere-title = Zakończyć wszystkie sesje konta { $name }?
agent-confirm-deactivate-explanation = Ta osoba nie będzie mogła się zalogować. Wszystkie jej sesje kończą się teraz, jej zaufane komputery zostaną zapomniane, a otwarte zaproszenie przestanie działać. Konto możesz później aktywować ponownie.
agent-confirm-reactivate-explanation = Ta osoba znów będzie mogła zalogować się swoim hasłem. Kto nigdy nie ustawił hasła, potrzebuje nowego zaproszenia.
agent-confirm-reset-two-factor-explanation = Uwierzytelnianie dwuskładnikowe zostanie wyłączone, a wszystkie zaufane komputery tej osoby – zapomniane. Dostanie o tym e-mail. Jeśli firma wymaga uwierzytelniania dwuskładnikowego, przy następnym otwarciu strony trzeba będzie włączyć je ponownie. Użyj tego, gdy agent nie ma już dostępu do kodów z e-maila.
agent-confirm-sign-out-everywhere-explanation = Wszystkie sesje tej osoby kończą się teraz: każda jej przeglądarka przy następnym otwarciu strony trafi na stronę logowania. Konto pozostaje aktywne i można znów zalogować się hasłem (i kodem). Użyj tego, gdy komputer zginął albo jest współdzielony.

### Dlaczego działanie na koncie agenta się nie udało ($name: imię i nazwisko)

agent-error-email-in-use = Konto z tym adresem e-mail już istnieje.
agent-error-not-found = Nie ma takiego agenta.
agent-error-last-admin = { $name } to jedyna aktywna osoba z rolą administratora w firmie. Najpierw nadaj tę rolę innemu agentowi.
agent-error-not-invited = { $name } ma już ustawione hasło: nie ma zaproszenia do wysłania.
agent-error-deactivated = Konto { $name } jest dezaktywowane. Najpierw aktywuj je ponownie.
agent-error-two-factor-already-off = Konto { $name } ma już wyłączone uwierzytelnianie dwuskładnikowe: nie ma czego resetować.
agent-error-invitation-invalid = Ten link z zaproszeniem jest już nieważny: został użyty, zastąpiony nowszym albo wygasł. Poproś administratora o nowe zaproszenie.

### Zasady firmy (na karcie Agenci)

policy-heading = Zasady firmy
policy-require = Wymagaj uwierzytelniania dwuskładnikowego od wszystkich agentów
policy-require-help = Agenci, którzy go nie mają, trafiają do Ustawień konta, żeby je włączyć, i do tego czasu nie otworzą żadnej innej strony.
policy-require-help-you = Dotyczy to także Ciebie: nie masz go jeszcze włączonego.
policy-grace-label = Koniec okresu przejściowego (opcjonalnie)
policy-grace-help = Do tego dnia (UTC) agenci bez uwierzytelniania dwuskładnikowego (oraz administratorzy bez aplikacji uwierzytelniającej, jeśli jest wymagana) dostają tylko przypomnienia; od tego dnia jest ono obowiązkowe.
policy-trusted-label = Najdłuższy czas zaufania do komputera
policy-trusted-never = Nigdy nie ufaj komputerom
policy-trusted-days = { $count ->
    [one] { $count } dzień
    [few] { $count } dni
   *[many] { $count } dni
}
policy-trusted-help = { $count ->
    [one] Ten serwer pozwala najwyżej na { $count } dzień.
    [few] Ten serwer pozwala najwyżej na { $count } dni.
   *[many] Ten serwer pozwala najwyżej na { $count } dni.
}
policy-factors-legend = Dozwolone drugie składniki
policy-factors-all = Kody z e-maila, aplikacje uwierzytelniające i klucze dostępu
policy-factors-app = Aplikacje uwierzytelniające i klucze dostępu
policy-factors-passkey = Tylko klucze dostępu i klucze bezpieczeństwa
policy-factors-help = Pominięte składniki przestają się liczyć jako uwierzytelnianie dwuskładnikowe: gdy 2FA jest wymagane, agenci, którzy mają tylko je, nie spełniają zasad. Kluczy dostępu nie da się wyłudzić; kody z e-maila i z aplikacji fałszywa strona logowania może przechwycić i przekazać dalej.
policy-admins-app = Administratorzy muszą używać aplikacji uwierzytelniającej
policy-admins-app-help = Nawet jeśli uwierzytelnianie dwuskładnikowe nie jest wymagane od wszystkich agentów; klucz dostępu też się liczy. Administratorzy, którzy nie mają żadnego z nich, trafiają do Ustawień konta, żeby je dodać (po końcu okresu przejściowego, jeśli go ustawiono).
policy-admins-passkey = Administratorzy muszą używać klucza dostępu lub klucza bezpieczeństwa (odpornego na phishing)
policy-admins-passkey-help = Administratorzy widzą dane wszystkich agentów: z tą opcją liczy się u nich tylko klucz dostępu lub klucz bezpieczeństwa – jedyny składnik, którego fałszywa strona logowania nie przechwyci.
policy-admins-code = Administratorzy zawsze wpisują kod
policy-admins-code-help = Zaufany komputer nigdy nie zwalnia administratora z wpisania kodu.
policy-idle-label = Wyloguj po bezczynności (w minutach)
policy-idle-help = { $count ->
    [one] Agenci, którzy przez ten czas nie otworzą żadnej strony, muszą zalogować się ponownie. Puste pole: ustawienie serwera, { $count } minuta, które jest też górną granicą.
    [few] Agenci, którzy przez ten czas nie otworzą żadnej strony, muszą zalogować się ponownie. Puste pole: ustawienie serwera, { $count } minuty, które jest też górną granicą.
   *[many] Agenci, którzy przez ten czas nie otworzą żadnej strony, muszą zalogować się ponownie. Puste pole: ustawienie serwera, { $count } minut, które jest też górną granicą.
}
policy-absolute-label = Wyloguj po czasie od zalogowania (w godzinach)
policy-absolute-help = { $count ->
    [one] Niezależnie od aktywności agenci logują się ponownie po tylu godzinach od zalogowania. Puste pole: ustawienie serwera, { $count } godzina, które jest też górną granicą. Krótszy czas od razu obejmuje zalogowanych agentów.
    [few] Niezależnie od aktywności agenci logują się ponownie po tylu godzinach od zalogowania. Puste pole: ustawienie serwera, { $count } godziny, które jest też górną granicą. Krótszy czas od razu obejmuje zalogowanych agentów.
   *[many] Niezależnie od aktywności agenci logują się ponownie po tylu godzinach od zalogowania. Puste pole: ustawienie serwera, { $count } godzin, które jest też górną granicą. Krótszy czas od razu obejmuje zalogowanych agentów.
}
policy-language-label = Domyślny język
policy-language-help = Język nowych agentów i ich zaproszeń.
policy-time-zone-label = Strefa czasowa
policy-time-zone-help = W tej strefie widzą godziny agenci, którzy nie wybrali własnej.
policy-save = Zapisz zasady
# Nad tabelą: czego wymagają zasady. $date: od kiedy.
policy-line-required = Wszyscy agenci muszą mieć włączone uwierzytelnianie dwuskładnikowe.
policy-line-required-from = Od { $date } wszyscy agenci muszą mieć włączone uwierzytelnianie dwuskładnikowe.
policy-line-admins-passkey = Administratorzy muszą używać klucza dostępu lub klucza bezpieczeństwa.
policy-line-admins-passkey-from = Od { $date } administratorzy muszą używać klucza dostępu lub klucza bezpieczeństwa.
policy-line-admins-app = Administratorzy muszą używać aplikacji uwierzytelniającej lub klucza dostępu.
policy-line-admins-app-from = Od { $date } administratorzy muszą używać aplikacji uwierzytelniającej lub klucza dostępu.
policy-line-app-and-passkey = Jako drugi składnik liczą się tylko aplikacje uwierzytelniające i klucze dostępu; kody z e-maila nie.
policy-line-passkey-only = Jako drugi składnik liczą się tylko klucze dostępu i klucze bezpieczeństwa.
# $choices: policy-days-choices albo policy-days-choice.
policy-error-trusted-days = Wybierz okres zaufania do komputera: { $choices }.
# „0, 7 lub 30 dni”: $others to pierwsze wartości, rozdzielone przecinkami.
policy-days-choices = { $last ->
    [one] { $others } lub { $last } dzień
    [few] { $others } lub { $last } dni
   *[many] { $others } lub { $last } dni
}
policy-days-choice = { $last ->
    [one] { $last } dzień
    [few] { $last } dni
   *[many] { $last } dni
}
policy-error-grace-date = Koniec okresu przejściowego musi być datą w formacie 2026-12-31.
policy-error-session-idle = Czas wylogowania po bezczynności musi być liczbą całkowitą minut od { $min } do { $max } (limit tego serwera) albo pozostać pusty, żeby obowiązywało ustawienie serwera.
policy-error-session-absolute = Czas wylogowania od zalogowania musi być liczbą całkowitą godzin od 1 do { $max } (limit tego serwera) albo pozostać pusty, żeby obowiązywało ustawienie serwera.
policy-error-second-factors = Wybierz, które drugie składniki się liczą: kody z e-maila, aplikacje uwierzytelniające i klucze dostępu; aplikacje uwierzytelniające i klucze dostępu; albo tylko klucze dostępu.
policy-error-language = Wybierz domyślny język z listy.
policy-error-time-zone = Wybierz strefę czasową z listy, np. Europe/Warsaw.

### Strona Aktywność

activity-heading = Aktywność
# $zone: strefa czasowa czytelnika („UTC”, „Europe/Warsaw”).
activity-intro = Zdarzenia bezpieczeństwa agentów Twojej firmy, od najnowszych. Godziny podano w strefie { $zone }.
activity-filter-email = Adres e-mail agenta
activity-filter-event = Zdarzenie
activity-filter-all-events = Wszystkie zdarzenia
activity-filter = Filtruj
activity-clear = Wyczyść
activity-showing-agent = Wyświetlono aktywność: { $name }.
activity-show-everyone = Pokaż wszystkich
activity-no-agent = Żaden agent Twojej firmy nie pasuje do tego filtra.
activity-empty = Brak aktywności do wyświetlenia.
activity-empty-page = Brak aktywności na tej stronie.
activity-page = Strona { $page }
activity-column-time = Czas
activity-column-event = Zdarzenie
activity-column-outcome = Wynik
activity-column-agent = Agent
# Kto to zrobił.
activity-column-by = Wykonawca
activity-column-ip = Adres IP
activity-column-browser = Przeglądarka
activity-column-detail = Szczegóły
activity-success = Powodzenie
activity-failure = Niepowodzenie
activity-pages = Strony
activity-newer = Nowsze
activity-older = Starsze
activity-another-company = (inna firma)
activity-event-other = Inne
activity-error-event = AgentGate nie rejestruje takiego zdarzenia.

### Zdarzenia dziennika audytu, tak jak nazywa je strona Aktywność

audit-event-login-succeeded = Zalogowano
audit-event-login-failed = Nieudane logowanie
audit-event-login-throttled = Wstrzymano logowanie (zbyt wiele nieudanych prób)
audit-event-code-sent = Wysłano kod
audit-event-code-accepted = Przyjęto kod
audit-event-code-rejected = Odrzucono kod
audit-event-code-lockout = Zablokowano kody
audit-event-two-factor-enabled = Włączono 2FA
audit-event-two-factor-disabled = Wyłączono 2FA
audit-event-two-factor-reset = Zresetowano 2FA
audit-event-trusted-computer-added = Dodano zaufany komputer
audit-event-trusted-computer-forgotten = Zapomniano zaufany komputer
audit-event-password-changed = Zmieniono hasło
audit-event-password-reset-requested = Poproszono o zresetowanie hasła
audit-event-password-reset-completed = Zresetowano hasło
audit-event-email-changed = Zmieniono adres e-mail
audit-event-identity-check = Potwierdzenie tożsamości
audit-event-session-ended = Zakończono sesję
audit-event-agent-added = Dodano agenta
audit-event-agent-deactivated = Dezaktywowano agenta
audit-event-agent-reactivated = Ponownie aktywowano agenta
audit-event-invitation-sent = Wysłano zaproszenie
audit-event-invitation-accepted = Przyjęto zaproszenie
audit-event-role-changed = Zmieniono rolę
audit-event-policy-changed = Zmieniono zasady
audit-event-access-refused = Odmowa dostępu
audit-event-recovery-codes-generated = Wygenerowano kody odzyskiwania
audit-event-recovery-code-used = Użyto kodu odzyskiwania
