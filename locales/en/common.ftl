## The frame of every page, dates and shared words.

language-own-name = English
product-tagline = secure sign-in for your helpdesk team
meta-description = AgentGate: secure sign-in for your helpdesk team, with a password and a second factor (an emailed code or an authenticator app).
skip-to-content = Skip to content
nav-main = Main
nav-home = Home
nav-agents = Agents
nav-activity = Activity
nav-account-setting = Account Setting
account-menu-label = { $initials }: account menu of { $name }
log-out = Log out

## Times. The day and month come from the calendar; the time is written
## "14:05 CET" in the reader's time zone.

date = { $day } { $month } { $year }
date-time = { $date }, { $time }
never = Never
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December
month-short-1 = Jan
month-short-2 = Feb
month-short-3 = Mar
month-short-4 = Apr
month-short-5 = May
month-short-6 = Jun
month-short-7 = Jul
month-short-8 = Aug
month-short-9 = Sep
month-short-10 = Oct
month-short-11 = Nov
month-short-12 = Dec
minutes = { $count ->
    [one] { $count } minute
   *[other] { $count } minutes
}

## A browser, named from its User-Agent ("Firefox on Linux").

browser-on-system = { $browser } on { $system }
browser-on-unknown-system = a browser on { $system }
browser-unknown = an unknown browser
