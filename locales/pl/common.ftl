## Ramka każdej strony, daty i wspólne słowa.

language-own-name = Polski
product-tagline = bezpieczne logowanie dla zespołu Twojego helpdesku
meta-description = AgentGate: bezpieczne logowanie dla zespołu Twojego helpdesku, hasłem i drugim składnikiem (kodem z e-maila lub z aplikacji uwierzytelniającej).
skip-to-content = Przejdź do treści
nav-main = Menu główne
nav-home = Strona główna
nav-agents = Agenci
nav-activity = Aktywność
nav-account-setting = Ustawienia konta
account-menu-label = { $initials }: menu konta użytkownika { $name }
log-out = Wyloguj się

## Daty. Miesiąc w dopełniaczu („6 grudnia 2026”); godzina „14:05 CET”
## w strefie czasowej czytelnika.

date = { $day } { $month } { $year }
date-time = { $date }, { $time }
never = Nigdy
month-1 = stycznia
month-2 = lutego
month-3 = marca
month-4 = kwietnia
month-5 = maja
month-6 = czerwca
month-7 = lipca
month-8 = sierpnia
month-9 = września
month-10 = października
month-11 = listopada
month-12 = grudnia
month-short-1 = sty
month-short-2 = lut
month-short-3 = mar
month-short-4 = kwi
month-short-5 = maj
month-short-6 = cze
month-short-7 = lip
month-short-8 = sie
month-short-9 = wrz
month-short-10 = paź
month-short-11 = lis
month-short-12 = gru
minutes = { $count ->
    [one] { $count } minuta
    [few] { $count } minuty
   *[many] { $count } minut
}

## Przeglądarka nazwana na podstawie nagłówka User-Agent („Firefox w systemie Linux”).

browser-on-system = { $browser } w systemie { $system }
browser-on-unknown-system = przeglądarka w systemie { $system }
browser-unknown = nieznana przeglądarka
