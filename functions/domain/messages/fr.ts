/**
 * French, with "vous", as French support lines speak. Canada (fr-CA) says "le carré" for the # key and
 * "courriel" for email: derived from the French catalog, so it can never miss a message.
 */
import type { Catalog, MessageId } from './catalog.js';
import { plural } from './plural.js';

const DAYS: Record<string, string> = { mon: 'lundi', tue: 'mardi', wed: 'mercredi', thu: 'jeudi', fri: 'vendredi', sat: 'samedi', sun: 'dimanche' };
const STATUS: Record<string, string> = {
  waiting: 'est de nouveau en attente d’un conseiller',
  callback: 'est en attente de rappel',
  'in-progress': 'est maintenant pris en charge par un conseiller',
  abandoned: 'a été interrompu avant la réponse d’un conseiller ; nous vous rappellerons',
  closed: 'est clôturé',
};
const STATUS_NAME: Record<string, string> = {
  waiting: 'en attente',
  callback: 'rappel',
  'in-progress': 'en cours',
  abandoned: 'interrompu',
  closed: 'clôturé',
};

export const fr: Catalog = {
  'unknown-line': () =>
    'Désolés, ce numéro ne correspond pas à notre service d’assistance. Veuillez vérifier le numéro sur notre site d’assistance. Au revoir.',
  greeting: () => 'Merci d’avoir appelé notre service d’assistance.',
  'menu-option': (p) => `Pour ${p.service}, appuyez sur ${p.digit}.`,
  'menu-invalid': () => 'Désolés, ce choix n’est pas valide.',
  'menu-default': (p) => `Nous vous mettons en relation avec ${p.service}.`,
  'menu-none': () => 'Nous n’avons pas reçu votre choix. Veuillez rappeler lorsque vous serez prêt. Au revoir.',
  'language-option': (p) => `Pour ${p.name}, appuyez sur ${p.digit}.`,
  goodbye: () => 'Au revoir.',
  'caller-known': (p) => `Bonjour ${p.name}, de ${p.org}.`,
  'account-prompt': () => 'Veuillez saisir le numéro de compte de votre organisation, puis appuyez sur la touche dièse.',
  'account-invalid': () => 'Désolés, nous n’avons pas trouvé ce numéro de compte.',
  'account-too-many': () => 'Nous n’avons pas trouvé votre compte. Veuillez vérifier votre numéro de compte et rappeler. Au revoir.',
  'account-limit': () => 'Trop de numéros de compte ont été essayés depuis votre numéro de téléphone. Veuillez utiliser notre assistance en ligne. Au revoir.',
  'channel-prompt-sms': (p) => `Pour recevoir un code de vérification par SMS au numéro se terminant par ${p.last}, appuyez sur 1.`,
  'channel-prompt-email': (p) => `Pour le recevoir par e-mail à l’adresse ${p.address}, appuyez sur 2.`,
  'channel-invalid': () => 'Désolés, ce choix n’est pas valide.',
  'no-channel': () =>
    'Votre organisation n’a enregistré aucun numéro de téléphone ni aucune adresse e-mail pour recevoir un code de vérification. Veuillez demander à un administrateur de mettre à jour votre profil. Au revoir.',
  'code-sent-sms': (p) => `Nous avons envoyé un code de vérification par SMS au numéro se terminant par ${p.last}.`,
  'code-sent-email': (p) => `Nous avons envoyé un code de vérification par e-mail à l’adresse ${p.address}.`,
  'code-prompt': () => 'Veuillez saisir le code à 6 chiffres.',
  'code-wrong': (p) => `Ce code est incorrect. Il vous reste ${p.left} ${plural('fr', p.left, { one: 'essai', other: 'essais' })}.`,
  'code-bad-format': () => 'Le code comporte 6 chiffres.',
  'code-none': () => 'Nous n’avons pas reçu de code à 6 chiffres. Veuillez rappeler lorsque vous l’aurez. Au revoir.',
  'code-dead': () => 'Ce code n’est plus utilisable après trop d’erreurs. Veuillez rappeler pour en obtenir un nouveau. Au revoir.',
  'code-expired': () => 'Ce code a expiré. Veuillez rappeler pour en obtenir un nouveau. Au revoir.',
  'code-rate-limited': () =>
    'Trop de codes ont été envoyés pour votre organisation au cours des 10 dernières minutes. Veuillez réessayer dans 10 minutes. Au revoir.',
  'code-rate-limited-caller': () =>
    'Trop de codes ont été demandés depuis votre numéro de téléphone au cours des 10 dernières minutes. Veuillez réessayer dans 10 minutes. Au revoir.',
  'code-locked': () =>
    'Après trop de codes erronés, la vérification par code de votre organisation est suspendue pendant une heure. Veuillez utiliser notre assistance en ligne. Au revoir.',
  'code-send-failed': (p) => `Désolés, nous n’avons pas pu envoyer le code par ${p.channel === 'sms' ? 'SMS' : 'e-mail'}.`,
  'code-send-failed-final': () =>
    'Désolés, nous ne pouvons pas envoyer de code de vérification pour le moment. Veuillez rappeler dans quelques minutes. Au revoir.',
  verified: () => 'Merci, votre identité est vérifiée.',
  'not-entitled-no-phone': () => 'Votre offre n’inclut pas l’assistance téléphonique. Veuillez ouvrir une demande sur notre site d’assistance. Au revoir.',
  'not-entitled-service': (p) =>
    `Votre offre n’inclut pas l’assistance téléphonique pour ${p.service}. Veuillez ouvrir une demande sur notre site d’assistance. Au revoir.`,
  'not-entitled-role': () =>
    'L’assistance téléphonique de votre organisation est réservée à ses administrateurs. Veuillez demander à un administrateur de nous appeler, ou ouvrez une demande sur notre site d’assistance. Au revoir.',
  barred: (p) => `L’assistance téléphonique n’est pas disponible pour cet appelant jusqu’au ${p.until}. Au revoir.`,
  closed: (p) => `${cap(String(p.service))} est joignable ${p.hours}. Nous sommes actuellement fermés.`,
  'closed-holiday': () => 'Aujourd’hui est un jour férié.',
  'callback-prompt': () => 'Pour demander à être rappelé, appuyez sur 1. Sinon, vous pouvez raccrocher.',
  'callback-or-urgent-prompt': (p) => `Pour demander à être rappelé, appuyez sur 1. Si votre demande est de priorité ${p.levels}, appuyez sur 2.`,
  'callback-none': () => 'Merci de votre appel. Au revoir.',
  'callback-created': () => 'Nous vous rappellerons dès notre réouverture.',
  'priority-intro': () => 'Choisissez une priorité.',
  'priority-option': (p) => `Si ${p.meaning}, appuyez sur ${p.digit}.`,
  'priority-option-outage': (p) => `Panne pour de nombreux utilisateurs, appuyez sur ${p.digit}.`,
  'priority-option-critical': (p) => `Problème critique pour un utilisateur, appuyez sur ${p.digit}.`,
  'priority-option-workaround': (p) => `Panne avec contournement, appuyez sur ${p.digit}.`,
  'priority-option-question': (p) => `Question ou problème mineur, appuyez sur ${p.digit}.`,
  'priority-skipped': (p) => `Votre ticket est en priorité ${p.level}.`,
  'priority-invalid': () => 'Désolés, ce choix n’est pas valide.',
  'priority-none': () => 'Nous n’avons pas reçu de priorité. Veuillez rappeler. Au revoir.',
  'priority-lowered-service': (p) =>
    `Les demandes concernant ${p.service} sont traitées au plus en priorité ${p.level} ; votre ticket est donc en priorité ${p.level}.`,
  'priority-lowered-plan': (p) => `Votre offre inclut les priorités jusqu’à ${p.level} ; votre ticket est donc en priorité ${p.level}.`,
  'priority-fair-use': (p) =>
    `Votre organisation a récemment ouvert de nombreux tickets ${p.top} (sur une période de ${p.window}), ce ticket est donc en priorité ${p.level}.`,
  'ticket-number': (p) => `Votre numéro de ticket est le ${p.digits}.`,
  'ticket-due': (p) => `Priorité ${p.level}. Nous vous répondrons ${p.due}.`,
  'ticket-confirmation-sent': () => 'Nous avons envoyé une confirmation à votre organisation.',
  'ticket-confirmation-queued': () => 'Une confirmation sera envoyée à votre organisation sous peu.',
  'ticket-confirmation-failed': () => 'Nous n’avons pas pu envoyer de confirmation à votre organisation. Veuillez noter votre numéro de ticket.',
  'queue-hold': () => 'Veuillez patienter, nous vous mettons en relation avec un conseiller.',
  'ticket-queued': (p) => `Votre numéro de ticket est le ${p.digits}, ${p.level}. ${detailsBy(p.channel)}Veuillez patienter.`,
  'queue-position': (p) => (Number(p.position) <= 1 ? 'Vous êtes le prochain.' : `Vous êtes en position ${p.position} dans la file d’attente.`),
  'queue-callback-offer': () => 'Pour raccrocher et garder votre place pour un rappel, appuyez sur 1.',
  'queue-hold-on': () => 'Veuillez rester en ligne, un conseiller va vous répondre.',
  'queue-key-invalid': () => 'Désolé, cette touche n’a pas d’effet pendant l’attente.',
  'queue-callback-kept': (p) => `Nous vous rappellerons à votre tour pour le ticket ${p.digits}. Au revoir.`,
  'queue-callback-taken': () => 'Un conseiller prend déjà votre appel. Veuillez rester en ligne.',
  'queue-callback-unavailable': () => 'Désolé, nous ne pouvons pas prendre de demande de rappel pour le moment.',
  'queue-full': (p) => `Toutes nos lignes sont occupées. Le ticket ${p.digits} garde sa place et nous vous rappellerons. Au revoir.`,
  'open-ticket-prompt': (p) => `Vous avez un ticket ouvert, le ${p.digits}. Pour ce ticket, appuyez sur 1. Pour un nouveau ticket, appuyez sur 2.`,
  'open-ticket-joined': (p) => `Nous vous mettons en relation pour le ticket ${p.digits}. Veuillez patienter.`,
  'open-ticket-with-agent': (p) => `Un conseiller traite déjà le ticket ${p.digits}. Au revoir.`,
  'ticket-limit-folded': (p) => `Vous avez ouvert ${p.max} tickets dans l’heure, cet appel rejoint donc le ticket ${p.digits}.`,
  'ticket-limit-reached': (p) => `Vous avez ouvert ${p.max} tickets dans l’heure, notre limite. Veuillez rappeler plus tard. Au revoir.`,
  'org-intro': () => 'Pour quelle organisation appelez-vous ?',
  'org-option': (p) => `Pour ${p.org}, appuyez sur ${p.digit}.`,
  'queue-estimate': (p) => `Le temps d’attente estimé est d’environ ${p.minutes} ${plural('fr', p.minutes, { one: 'minute', other: 'minutes' })}.`,
  'queue-thanks': () => 'Merci de votre patience. Un conseiller va vous répondre dans un instant.',
  'error-generic': () => 'Désolés, un problème est survenu de notre côté. Veuillez rappeler dans quelques minutes. Au revoir.',
  'error-store': () => 'Désolés, nos systèmes sont actuellement surchargés. Veuillez rappeler dans quelques minutes. Au revoir.',
  'ticket-spooled': (p) =>
    `Notre système de tickets est surchargé, mais votre demande est enregistrée. Votre référence est le ${p.digits}. Nous vous rappellerons.`,
  'lost-state': () => 'Désolés, nous avons perdu la trace de votre appel. Veuillez rappeler. Au revoir.',
  'one-moment': () => 'Un instant, s’il vous plaît.',
  'agent-welcome': () => 'Ligne des conseillers.',
  'agent-id-prompt': () => 'Saisissez votre identifiant de conseiller, puis appuyez sur la touche dièse.',
  'agent-pin-prompt': () => 'Saisissez votre code PIN, puis appuyez sur la touche dièse.',
  'agent-denied': () => 'Ces informations sont incorrectes.',
  'agent-locked': () => 'La connexion est bloquée après trop d’erreurs. Veuillez réessayer dans 15 minutes. Au revoir.',
  'agent-no-callers': () => 'Aucun appelant ne vous attend pour le moment. Appuyez sur 1 pour vérifier à nouveau, ou raccrochez.',
  'agent-whisper': (p) => `${p.priority}, ${p.org}, forfait ${p.plan}, ${p.method === 'code' ? 'vérifié par code' : 'numéro appelant'}. Ticket ${p.digits}.`,
  'agent-queue-empty': () => 'Cet appelant n’est plus en attente.',
  'agent-signed-in': (p) => `Bonjour ${p.name}.`,
  'agent-too-many': () => 'La connexion a échoué trop de fois. Veuillez vérifier vos informations et rappeler. Au revoir.',
  'agent-next-prompt': () => 'Appuyez sur 1 pour l’appelant suivant, ou raccrochez.',
  'agent-call-ended': () => 'L’appel est terminé.',
  'agent-bridge-caller': () => 'Nous vous mettons en relation avec un conseiller.',
  'agent-whisper-callback': (p) =>
    `Rappel. ${p.priority}, ${p.org}, forfait ${p.plan}, ${p.method === 'code' ? 'vérifié par code' : 'numéro appelant'}. Ticket ${p.digits}.`,
  'agent-callback-prompt': () => 'Appuyez sur 1 pour appeler le client, ou sur 2 pour remettre le rappel dans la liste.',
  'agent-callback-returned': () => 'Le rappel est de nouveau dans la liste.',
  'agent-callback-no-answer': () => 'Le client n’a pas répondu. Le rappel reste dans la liste.',
  'agent-wrapup-prompt': () => 'Appuyez sur 1 si le problème est résolu, ou sur 2 s’il reste ouvert.',
  'agent-wrapup-closed': () => 'Ticket clôturé.',
  'agent-wrapup-open': () => 'Le ticket reste ouvert.',
  'callback-customer-intro': (p) => `Ici le support, nous vous rappelons au sujet du ticket ${p.digits}. Nous vous mettons en relation avec un conseiller.`,
  'survey-prompt': () => 'Veuillez noter l’aide reçue de 1 à 5, 5 étant la meilleure note.',
  'survey-invalid': () => 'Veuillez appuyer sur un chiffre de 1 à 5.',
  'survey-thanks': () => 'Merci pour votre note. Au revoir.',
  'page-pin-cap-subject': (p) => `Conseiller ${p.agent} : ${p.count} PIN erronés aujourd’hui`,
  'page-pin-cap-body': (p) =>
    `L’identifiant ${p.agent} a saisi aujourd’hui ${p.count} PIN erronés depuis ${p.numbers} numéros, le dernier depuis ${p.caller}. Chaque numéro est bloqué séparément ; le conseiller peut toujours se connecter depuis son propre téléphone.`,
  'page-escalated-subject': (p) => `Ticket ${p.priority} ${p.number} escaladé : pas de première réponse`,
  'page-escalated-body': (p) =>
    `Le ticket ${p.priority} ${p.number} de ${p.org} (${p.plan}) n’a pas reçu de réponse avant son échéance, ${p.due} ; il passe au niveau 2.`,
  'page-code-paused-subject': (p) => `Vérification par code suspendue : ${p.org}`,
  'page-code-paused-body': (p) =>
    `${p.count} codes de vérification erronés d’affilée pour ${p.org} (${p.id}) ; la vérification par code est refusée pendant ${p.duration}. Voir le journal d’audit.`,
  'language-name': () => 'Français',
  'service-technical': () => 'l’assistance technique',
  'service-billing': () => 'la facturation',
  'service-other': (p) => `${p.id}`,
  'priority-meaning-1': () => 'le service est interrompu pour de nombreux utilisateurs, sans solution de contournement',
  'priority-meaning-2': () => 'un problème critique touche un utilisateur ou le travail collaboratif',
  'priority-meaning-3': () => 'quelque chose ne fonctionne pas comme prévu, mais une solution de contournement existe',
  'priority-meaning-4': () => 'vous avez une question ou un problème mineur',
  'day-name': (p) => DAYS[String(p.day)] ?? String(p.day),
  'days-range': (p) => `du ${DAYS[String(p.from)]} au ${DAYS[String(p.to)]}`,
  'hours-span': (p) => `${p.days}, de ${p.open} à ${p.close}`,
  'hours-always': () => '24 heures sur 24, 7 jours sur 7',
  'time-midnight': () => 'minuit',
  'duration-days': (p) => `${p.count} ${plural('fr', p.n ?? p.count, { one: 'jour', other: 'jours' })}`,
  'duration-hours': (p) => `${p.count} ${plural('fr', p.n ?? p.count, { one: 'heure', other: 'heures' })}`,
  'duration-minutes': (p) => `${p.count} ${plural('fr', p.n ?? p.count, { one: 'minute', other: 'minutes' })}`,
  'due-today': (p) => `aujourd’hui à ${p.time}`,
  'due-tomorrow': (p) => `demain à ${p.time}`,
  'due-weekday': (p) => `${p.day} à ${p.time}`,
  'due-date': (p) => `le ${p.date} à ${p.time}`,
  'date-at-time': (p) => `${p.date} à ${p.time}`,
  'time-in-zone': (p) => `${p.time} (${p.zone})`,
  'sms-code': (p) => `Votre code de vérification pour l’assistance est ${p.code}. Il est valable 10 minutes. Ne le communiquez jamais.`,
  'email-code-subject': () => 'Votre code de vérification pour l’assistance',
  'email-code-body': (p) =>
    `Votre code de vérification est ${p.code}.\nIl est valable 10 minutes et ne peut être utilisé qu’une seule fois.\nSi vous n’avez pas appelé notre service d’assistance, vous pouvez ignorer cet e-mail.`,
  'ticket-opened-text': (p) =>
    `Le ticket ${p.number} (${p.priority}, ${p.service}) a été ouvert par téléphone pour ${p.org}. Première réponse prévue ${p.due}.`,
  'ticket-opened-callback-text': (p) =>
    `Le ticket ${p.number} (${p.priority}, ${p.service}) a été ouvert par téléphone pour ${p.org}. Nous vous rappellerons ; première réponse prévue ${p.due}.`,
  'ticket-opened-subject': (p) => `Ticket d’assistance ${p.number} (${p.priority})`,
  'ticket-status-text': (p) => `Le ticket ${p.number} (${p.priority}, ${p.service}) de ${p.org} ${STATUS[String(p.status)] ?? p.status}.`,
  'ticket-status-subject': (p) => `Ticket d’assistance ${p.number} : ${STATUS_NAME[String(p.status)] ?? p.status}`,
  'page-subject': (p) => `Ticket ${p.priority} ${p.number} : ${p.org}`,
  'page-text': (p) => `Ticket ${p.priority} ${p.number} (${p.service}) de ${p.org} (offre ${p.plan}) sur le ${p.line}, première réponse prévue ${p.due}.`,
  'ticket-closed-subject': (p) => `Le ticket d'assistance ${p.number} est clos`,
  'ticket-closed-text': (p) => `Le ticket d'assistance ${p.number} (${p.priority}) de ${p.org} est clos.`,
  'ticket-closed-resolution': (p) => `Résolution : ${p.resolution}`,
};

/** Where the ticket's details went, as a sentence with its trailing space ('' when no confirmation was sent). */
function detailsBy(channel: unknown): string {
  return channel === 'sms' ? 'Les détails suivent par SMS. ' : channel === 'email' ? 'Les détails suivent par e-mail. ' : '';
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

const canadian = (text: string): string =>
  text
    .replace(/touche dièse/g, 'touche carré')
    .replace(/\be-mail\b/g, 'courriel')
    .replace(/\bSMS\b/g, 'texto');

export const frCA = Object.fromEntries(
  (Object.keys(fr) as MessageId[]).map((id) => [id, (p: Parameters<Catalog[MessageId]>[0]) => canadian(fr[id](p))]),
) as Catalog;
