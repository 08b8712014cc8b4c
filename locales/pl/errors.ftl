## Strony błędów.

error-status = Błąd { $status }
error-quote-request-id = Zgłaszając ten błąd, podaj identyfikator żądania
error-go-to-start = Przejdź do strony głównej
error-go-to-login = Przejdź do logowania
error-request-new-link = Poproś o nowy link
error-bad-request = Nieprawidłowe żądanie
error-link-not-valid = Ten link już nie działa
error-access-denied = Brak dostępu
error-not-found = Nie znaleziono strony
error-not-found-message = Strona, o którą prosisz, nie istnieje.
error-too-large = Za duże żądanie
error-too-large-message = To żądanie było za duże.
error-too-many-requests = Zbyt wiele prób
error-sign-in-required = Wymagane logowanie
error-confirm-identity = Potwierdź, że to Ty
error-two-factor-required = Wymagane uwierzytelnianie dwuskładnikowe
error-unavailable = Chwilowo niedostępne
error-unavailable-message = AgentGate nie może teraz połączyć się ze swoją bazą danych. Spróbuj ponownie za chwilę.
error-internal = Coś poszło nie tak
error-internal-message = Wystąpił nieoczekiwany błąd. Został zapisany w dzienniku; spróbuj ponownie.
error-csrf-rejected = Ten formularz wygasł albo nie pochodzi z AgentGate. Wróć, odśwież stronę i spróbuj ponownie.
error-forbidden-message = Nie masz dostępu do tej strony.
download-busy = Na tym serwerze trwa już inne duże pobieranie. Spróbuj ponownie za kilka sekund.
