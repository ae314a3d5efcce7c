/** Polish prompts: complete, so Polish lines never fall back to English mid-call (a test checks the key sets match). */
import type { Catalog } from './catalog.js';
import { plural } from './plural.js';

const DAYS: Record<string, string> = { mon: 'poniedziałek', tue: 'wtorek', wed: 'środa', thu: 'czwartek', fri: 'piątek', sat: 'sobota', sun: 'niedziela' };
/** "od poniedziałku do piątku": the genitive after od/do. */
const DAYS_GEN: Record<string, string> = { mon: 'poniedziałku', tue: 'wtorku', wed: 'środy', thu: 'czwartku', fri: 'piątku', sat: 'soboty', sun: 'niedzieli' };
/** "w środę o 16:00": the accusative after w/we, keyed by the nominative Intl gives. */
const ON_DAY: Record<string, string> = {
  poniedziałek: 'w poniedziałek',
  wtorek: 'we wtorek',
  środa: 'w środę',
  czwartek: 'w czwartek',
  piątek: 'w piątek',
  sobota: 'w sobotę',
  niedziela: 'w niedzielę',
};
const STATUS: Record<string, string> = {
  waiting: 'ponownie czeka na konsultanta',
  callback: 'czeka na oddzwonienie',
  'in-progress': 'jest obsługiwane przez konsultanta',
  abandoned: 'zostało przerwane przed odebraniem przez konsultanta; oddzwonimy',
  closed: 'zostało zamknięte',
};
const STATUS_NAME: Record<string, string> = {
  waiting: 'oczekuje',
  callback: 'oddzwonienie',
  'in-progress': 'w toku',
  abandoned: 'przerwane',
  closed: 'zamknięte',
};

export const pl: Catalog = {
  'unknown-line': () => 'Przepraszamy, ten numer nie prowadzi do naszej linii wsparcia. Prosimy sprawdzić numer na naszej stronie wsparcia. Do widzenia.',
  greeting: () => 'Dziękujemy za telefon do działu wsparcia.',
  'menu-option': (p) => `${p.service}: wciśnij ${p.digit}.`,
  'menu-invalid': () => 'Przepraszamy, nie ma takiej opcji.',
  'menu-default': (p) => `Łączymy z działem: ${p.service}.`,
  'menu-none': () => 'Nie otrzymaliśmy wyboru. Prosimy zadzwonić ponownie. Do widzenia.',
  'language-option': (p) => `${p.name}: wciśnij ${p.digit}.`,
  goodbye: () => 'Do widzenia.',
  'caller-known': (p) => `Dzień dobry, ${p.name} z ${p.org}.`,
  'account-prompt': () => 'Wprowadź numer konta organizacji i naciśnij krzyżyk.',
  'account-invalid': () => 'Przepraszamy, nie znaleźliśmy takiego numeru konta.',
  'account-too-many': () => 'Nie udało się znaleźć konta. Sprawdź numer konta i zadzwoń ponownie. Do widzenia.',
  'account-limit': () => 'Z Twojego numeru telefonu wprowadzono zbyt wiele numerów konta. Skorzystaj z naszej pomocy technicznej w internecie. Do widzenia.',
  'channel-prompt-sms': (p) => `Aby otrzymać kod weryfikacyjny SMS-em na telefon kończący się na ${p.last}, wciśnij 1.`,
  'channel-prompt-email': (p) => `Aby otrzymać go e-mailem na adres ${p.address}, wciśnij 2.`,
  'channel-invalid': () => 'Przepraszamy, nie ma takiej opcji.',
  'no-channel': () =>
    'Twoja organizacja nie ma zarejestrowanego telefonu ani adresu e-mail, na który można wysłać kod. Poproś administratora o uzupełnienie profilu. Do widzenia.',
  'code-sent-sms': (p) => `Wysłaliśmy kod weryfikacyjny SMS-em na telefon kończący się na ${p.last}.`,
  'code-sent-email': (p) => `Wysłaliśmy kod weryfikacyjny e-mailem na adres ${p.address}.`,
  'code-prompt': () => 'Wprowadź sześciocyfrowy kod.',
  'code-wrong': (p) => `Kod jest nieprawidłowy. Pozostało prób: ${p.left}.`,
  'code-bad-format': () => 'Kod ma 6 cyfr.',
  'code-none': () => 'Nie otrzymaliśmy sześciocyfrowego kodu. Zadzwoń ponownie, gdy będziesz go mieć. Do widzenia.',
  'code-dead': () => 'Po zbyt wielu błędnych próbach tego kodu nie można już użyć. Zadzwoń ponownie, aby otrzymać nowy. Do widzenia.',
  'code-expired': () => 'Kod wygasł. Zadzwoń ponownie, aby otrzymać nowy. Do widzenia.',
  'code-rate-limited': () => 'W ciągu ostatnich 10 minut wysłano zbyt wiele kodów dla Twojej organizacji. Spróbuj ponownie za 10 minut. Do widzenia.',
  'code-rate-limited-caller': () =>
    'W ciągu ostatnich 10 minut z Twojego numeru telefonu zamówiono zbyt wiele kodów. Spróbuj ponownie za 10 minut. Do widzenia.',
  'code-locked': () =>
    'Po zbyt wielu błędnych kodach weryfikacja kodem dla Twojej organizacji jest wstrzymana na godzinę. Skorzystaj z naszej pomocy technicznej w internecie. Do widzenia.',
  'code-send-failed': (p) => `Przepraszamy, nie udało się wysłać kodu ${p.channel === 'sms' ? 'SMS-em' : 'e-mailem'}.`,
  'code-send-failed-final': () => 'Przepraszamy, nie udało się teraz wysłać kodu weryfikacyjnego. Zadzwoń ponownie za kilka minut. Do widzenia.',
  verified: () => 'Dziękujemy, weryfikacja zakończona.',
  'not-entitled-no-phone': () => 'Twój plan nie obejmuje wsparcia telefonicznego. Zgłoś sprawę na naszej stronie wsparcia. Do widzenia.',
  'not-entitled-service': (p) =>
    `Twój plan nie obejmuje wsparcia telefonicznego w zakresie: ${p.service}. Zgłoś sprawę na naszej stronie wsparcia. Do widzenia.`,
  'not-entitled-role': () =>
    'Wsparcie telefoniczne jest dostępne dla administratorów Twojej organizacji. Poproś administratora o kontakt lub zgłoś sprawę na naszej stronie. Do widzenia.',
  barred: (p) => `Wsparcie telefoniczne dla tego rozmówcy jest niedostępne do ${p.until}. Do widzenia.`,
  closed: (p) => `${p.service}: godziny pracy ${p.hours}. Teraz jest nieczynne.`,
  'closed-holiday': () => 'Dziś jest dzień ustawowo wolny od pracy.',
  'callback-prompt': () => 'Aby zostawić prośbę o oddzwonienie, wciśnij 1. W przeciwnym razie rozłącz się.',
  'callback-or-urgent-prompt': (p) => `Aby zostawić prośbę o oddzwonienie, wciśnij 1. Jeśli zgłoszenie ma priorytet ${p.levels}, wciśnij 2.`,
  'callback-none': () => 'Dziękujemy za telefon. Do widzenia.',
  'callback-created': () => 'Oddzwonimy, gdy będziemy czynni.',
  'priority-intro': () => 'Wybierz priorytet.',
  'priority-option': (p) => `${cap(String(p.meaning))}: wciśnij ${p.digit}.`,
  'priority-option-outage': (p) => `Awaria dla wielu osób: wciśnij ${p.digit}.`,
  'priority-option-critical': (p) => `Pilny problem jednej osoby: wciśnij ${p.digit}.`,
  'priority-option-workaround': (p) => `Usterka z obejściem: wciśnij ${p.digit}.`,
  'priority-option-question': (p) => `Pytanie lub drobna sprawa: wciśnij ${p.digit}.`,
  'priority-skipped': (p) => `Zgłoszenie ma priorytet ${p.level}.`,
  'priority-invalid': () => 'Przepraszamy, nie ma takiego wyboru.',
  'priority-none': () => 'Nie otrzymaliśmy priorytetu. Prosimy zadzwonić ponownie. Do widzenia.',
  'priority-lowered-service': (p) => `Sprawy z zakresu ${p.service} mają najwyżej priorytet ${p.level}, więc zgłoszenie ma priorytet ${p.level}.`,
  'priority-lowered-plan': (p) => `Twój plan obejmuje priorytet najwyżej ${p.level}, więc zgłoszenie ma priorytet ${p.level}.`,
  'priority-fair-use': (p) =>
    `Twoja organizacja zgłosiła za ostatnie ${p.window} wiele spraw o priorytecie ${p.top}, więc to zgłoszenie ma priorytet ${p.level}.`,
  'ticket-number': (p) => `Numer zgłoszenia: ${p.digits}.`,
  'ticket-due': (p) => `Priorytet ${p.level}. Termin odpowiedzi: ${p.due}.`,
  'ticket-confirmation-sent': () => 'Wysłaliśmy potwierdzenie do Twojej organizacji.',
  'ticket-confirmation-queued': () => 'Wkrótce wyślemy potwierdzenie do Twojej organizacji.',
  'ticket-confirmation-failed': () => 'Nie udało się wysłać potwierdzenia do Twojej organizacji. Zanotuj numer zgłoszenia.',
  'queue-hold': () => 'Prosimy czekać, łączymy z konsultantem.',
  'ticket-queued': (p) => `Numer zgłoszenia: ${p.digits}, ${p.level}. ${detailsBy(p.channel)}Prosimy czekać.`,
  'queue-position': (p) => (Number(p.position) <= 1 ? 'Jesteś następny w kolejce.' : `Jesteś ${p.position}. w kolejce.`),
  'queue-callback-offer': () => 'Oddzwonienie z zachowaniem miejsca: wciśnij 1.',
  'queue-hold-on': () => 'Prosimy czekać na konsultanta.',
  'queue-key-invalid': () => 'Ten klawisz tu nie działa.',
  'queue-callback-kept': (p) => `Oddzwonimy w sprawie zgłoszenia ${p.digits}. Do widzenia.`,
  'queue-callback-taken': () => 'Konsultant już odbiera. Prosimy czekać.',
  'queue-callback-unavailable': () => 'Nie możemy teraz przyjąć prośby o oddzwonienie.',
  'queue-full': (p) => `Kolejka jest pełna. Zgłoszenie ${p.digits} zachowuje miejsce, oddzwonimy. Do widzenia.`,
  'open-ticket-prompt': (p) => `Masz otwarte zgłoszenie ${p.digits}. Aby na nie czekać, wciśnij 1, nowe: 2.`,
  'open-ticket-joined': (p) => `Łączymy w sprawie zgłoszenia ${p.digits}. Prosimy czekać.`,
  'open-ticket-with-agent': (p) => `Zgłoszeniem ${p.digits} zajmuje się już konsultant. Do widzenia.`,
  'ticket-limit-folded': (p) => `Limit ${p.max} zgłoszeń na godzinę: dołączamy do zgłoszenia ${p.digits}.`,
  'ticket-limit-reached': (p) => `Limit ${p.max} zgłoszeń na godzinę. Zadzwoń później. Do widzenia.`,
  'org-intro': () => 'Dla której organizacji dzwonisz?',
  'org-option': (p) => `${p.org}: wciśnij ${p.digit}.`,
  'queue-estimate': (p) => `Szacowany czas oczekiwania to około ${p.minutes} min.`,
  'queue-thanks': () => 'Dziękujemy za cierpliwość. Konsultant wkrótce się połączy.',
  'error-generic': () => 'Przepraszamy, wystąpił błąd po naszej stronie. Zadzwoń ponownie za kilka minut. Do widzenia.',
  'error-store': () => 'Przepraszamy, nasze systemy są teraz przeciążone. Zadzwoń ponownie za kilka minut. Do widzenia.',
  'ticket-spooled': (p) => `System zgłoszeń jest przeciążony, ale Twoja prośba została zapisana. Numer referencyjny: ${p.digits}. Oddzwonimy.`,
  'lost-state': () => 'Przepraszamy, utraciliśmy informacje o połączeniu. Zadzwoń ponownie. Do widzenia.',
  'one-moment': () => 'Chwileczkę.',
  'agent-welcome': () => 'Linia konsultantów.',
  'agent-id-prompt': () => 'Wprowadź swój identyfikator konsultanta i naciśnij krzyżyk.',
  'agent-pin-prompt': () => 'Wprowadź PIN i naciśnij krzyżyk.',
  'agent-denied': () => 'Dane są nieprawidłowe.',
  'agent-locked': () => 'Logowanie zablokowane po zbyt wielu błędach. Spróbuj za 15 minut. Do widzenia.',
  'agent-no-callers': () => 'Nikt nie czeka. Wciśnij 1, aby sprawdzić ponownie, lub rozłącz się.',
  'agent-whisper': (p) => `${p.priority}, ${p.org}, plan ${p.plan}, ${p.method === 'code' ? 'weryfikacja kodem' : 'numer telefonu'}. Zgłoszenie ${p.digits}.`,
  'agent-queue-empty': () => 'Ten rozmówca już nie czeka.',
  'agent-signed-in': (p) => `Witaj, ${p.name}.`,
  'agent-too-many': () => 'Zbyt wiele nieudanych prób logowania. Sprawdź dane i zadzwoń ponownie. Do widzenia.',
  'agent-next-prompt': () => 'Wciśnij 1, aby odebrać następne połączenie, lub rozłącz się.',
  'agent-call-ended': () => 'Rozmowa zakończona.',
  'agent-bridge-caller': () => 'Łączymy z konsultantem.',
  'agent-whisper-callback': (p) =>
    `Oddzwonienie. ${p.priority}, ${p.org}, plan ${p.plan}, ${p.method === 'code' ? 'weryfikacja kodem' : 'numer telefonu'}. Zgłoszenie ${p.digits}.`,
  'agent-callback-prompt': () => 'Wciśnij 1, aby zadzwonić do klienta, lub 2, aby odłożyć oddzwonienie.',
  'agent-callback-returned': () => 'Oddzwonienie wróciło na listę.',
  'agent-callback-no-answer': () => 'Klient nie odebrał. Oddzwonienie zostaje na liście.',
  'agent-wrapup-prompt': () => 'Wciśnij 1, jeśli sprawa jest rozwiązana, lub 2, jeśli pozostaje otwarta.',
  'agent-wrapup-closed': () => 'Zgłoszenie zamknięte.',
  'agent-wrapup-open': () => 'Zgłoszenie pozostaje otwarte.',
  'callback-customer-intro': (p) => `Tu dział wsparcia, oddzwaniamy w sprawie zgłoszenia ${p.digits}. Łączymy z konsultantem.`,
  'survey-prompt': () => 'Oceń otrzymaną pomoc w skali od 1 do 5, gdzie 5 to najlepsza ocena.',
  'survey-invalid': () => 'Wciśnij cyfrę od 1 do 5.',
  'survey-thanks': () => 'Dziękujemy za ocenę. Do widzenia.',
  'page-pin-cap-subject': (p) => `Konsultant ${p.agent}: ${p.count} błędnych PIN-ów dzisiaj`,
  'page-pin-cap-body': (p) =>
    `Identyfikator ${p.agent} ma dzisiaj ${p.count} błędnych PIN-ów z ${p.numbers} numerów, ostatni z ${p.caller}. Każdy numer jest blokowany osobno; konsultant nadal może się zalogować ze swojego telefonu.`,
  'page-escalated-subject': (p) => `Zgłoszenie ${p.priority} ${p.number} przekazane wyżej: brak pierwszej odpowiedzi`,
  'page-escalated-body': (p) =>
    `Zgłoszenie ${p.priority} ${p.number} organizacji ${p.org} (${p.plan}) nie zostało podjęte do ${p.due}; przejmuje je drugi poziom wsparcia.`,
  'page-code-paused-subject': (p) => `Weryfikacja kodem wstrzymana: ${p.org}`,
  'page-code-paused-body': (p) =>
    `Błędny kod weryfikacyjny ${p.count} razy z rzędu dla ${p.org} (${p.id}); weryfikacja kodem jest zablokowana (czas blokady: ${p.duration}). Szczegóły w dzienniku audytu.`,
  'language-name': () => 'Polski',
  'service-technical': () => 'wsparcie techniczne',
  'service-billing': () => 'rozliczenia',
  'service-other': (p) => `${p.id}`,
  'priority-meaning-1': () => 'usługa nie działa dla wielu użytkowników i nie ma obejścia',
  'priority-meaning-2': () => 'krytyczny problem dotyczy jednego użytkownika lub współpracy',
  'priority-meaning-3': () => 'coś nie działa zgodnie z oczekiwaniami, ale istnieje obejście',
  'priority-meaning-4': () => 'masz pytanie lub drobny problem',
  'day-name': (p) => DAYS[String(p.day)] ?? String(p.day),
  'days-range': (p) => `od ${DAYS_GEN[String(p.from)]} do ${DAYS_GEN[String(p.to)]}`,
  'hours-span': (p) => `${p.days}, od ${p.open} do ${p.close}`,
  'hours-always': () => 'całą dobę, 7 dni w tygodniu',
  'time-midnight': () => 'północy',
  'duration-days': (p) => `${p.count} ${plural('pl', p.n ?? p.count, { one: 'dzień', few: 'dni', many: 'dni', other: 'dnia' })}`,
  'duration-hours': (p) => `${p.count} ${plural('pl', p.n ?? p.count, { one: 'godzina', few: 'godziny', many: 'godzin', other: 'godziny' })}`,
  'duration-minutes': (p) => `${p.count} ${plural('pl', p.n ?? p.count, { one: 'minuta', few: 'minuty', many: 'minut', other: 'minuty' })}`,
  'due-today': (p) => `dziś o ${p.time}`,
  'due-tomorrow': (p) => `jutro o ${p.time}`,
  'due-weekday': (p) => `${ON_DAY[String(p.day)] ?? p.day} o ${p.time}`,
  'due-date': (p) => `${p.date}, o ${p.time}`,
  'date-at-time': (p) => `${p.dateOnly}, ${p.time}`,
  'time-in-zone': (p) => `${p.time} (${p.zone})`,
  'sms-code': (p) => `Twój kod weryfikacyjny linii wsparcia to ${p.code}. Jest ważny 10 minut. Nie udostępniaj go nikomu.`,
  'email-code-subject': () => 'Kod weryfikacyjny linii wsparcia',
  'email-code-body': (p) =>
    `Twój kod weryfikacyjny to ${p.code}.\nJest ważny 10 minut i można go użyć tylko raz.\nJeśli nie dzwoniłeś(-aś) na naszą linię wsparcia, zignoruj tę wiadomość.`,
  'ticket-opened-text': (p) =>
    `Zgłoszenie ${p.number} (${p.priority}, ${p.service}) dla ${p.org} zostało przyjęte telefonicznie. Termin pierwszej odpowiedzi: ${p.due}.`,
  'ticket-opened-callback-text': (p) =>
    `Zgłoszenie ${p.number} (${p.priority}, ${p.service}) dla ${p.org} zostało przyjęte telefonicznie. Oddzwonimy; termin pierwszej odpowiedzi: ${p.due}.`,
  'ticket-opened-subject': (p) => `Zgłoszenie ${p.number} (${p.priority})`,
  'ticket-status-text': (p) => `Zgłoszenie ${p.number} (${p.priority}, ${p.service}) dla ${p.org} ${STATUS[String(p.status)] ?? p.status}.`,
  'ticket-status-subject': (p) => `Zgłoszenie ${p.number}: ${STATUS_NAME[String(p.status)] ?? p.status}`,
  'page-subject': (p) => `${p.priority}, zgłoszenie ${p.number}: ${p.org}`,
  'page-text': (p) =>
    `Zgłoszenie ${p.priority} (${p.service}) nr ${p.number} od ${p.org} (plan ${p.plan}) na linii ${p.line}, termin pierwszej odpowiedzi: ${p.due}.`,
  // Zamknięcie zgłoszenia (API zgłoszeń i tablica): SMS lub e-mail do organizacji
  'ticket-closed-subject': (p) => `Zgłoszenie ${p.number} zostało zamknięte`,
  'ticket-closed-text': (p) => `Zgłoszenie ${p.number} (${p.priority}) dla ${p.org} zostało zamknięte.`,
  'ticket-closed-resolution': (p) => `Rozwiązanie: ${p.resolution}`,
};

/** Where the ticket's details went, as a sentence with its trailing space ('' when no confirmation was sent). */
function detailsBy(channel: unknown): string {
  return channel === 'sms' ? 'Szczegóły wyślemy SMS-em. ' : channel === 'email' ? 'Szczegóły wyślemy e-mailem. ' : '';
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
