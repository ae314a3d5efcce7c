/** Spanish (Spain, Mexico and the rest): "usted", as support lines speak. */
import type { Catalog, MessageId } from './catalog.js';
import { plural } from './plural.js';

const DAYS: Record<string, string> = { mon: 'lunes', tue: 'martes', wed: 'miércoles', thu: 'jueves', fri: 'viernes', sat: 'sábado', sun: 'domingo' };
const STATUS: Record<string, string> = {
  waiting: 'vuelve a estar en espera de un agente',
  callback: 'está pendiente de una llamada de vuelta',
  'in-progress': 'ya lo está atendiendo un agente',
  abandoned: 'se interrumpió antes de que respondiera un agente; le devolveremos la llamada',
  closed: 'está cerrado',
};
const STATUS_NAME: Record<string, string> = {
  waiting: 'en espera',
  callback: 'llamada de vuelta',
  'in-progress': 'en curso',
  abandoned: 'interrumpido',
  closed: 'cerrado',
};

export const es: Catalog = {
  'unknown-line': () => 'Lo sentimos, este número no corresponde a nuestra línea de soporte. Consulte el número en nuestro sitio web de soporte. Adiós.',
  greeting: () => 'Gracias por llamar al servicio de soporte.',
  'menu-option': (p) => `Para ${p.service}, pulse ${p.digit}.`,
  'menu-invalid': () => 'Lo sentimos, esa opción no es válida.',
  'menu-default': (p) => `Le pasamos con ${p.service}.`,
  'menu-none': () => 'No hemos recibido ninguna opción. Vuelva a llamar cuando lo desee. Adiós.',
  'language-option': (p) => `Para ${p.name}, pulse ${p.digit}.`,
  goodbye: () => 'Adiós.',
  'caller-known': (p) => `Hola, ${p.name}, de ${p.org}.`,
  'account-prompt': () => 'Introduzca el número de cuenta de su organización y, a continuación, pulse la tecla almohadilla.',
  'account-invalid': () => 'Lo sentimos, no hemos encontrado ese número de cuenta.',
  'account-too-many': () => 'No hemos podido encontrar su cuenta. Compruebe su número de cuenta y vuelva a llamar. Adiós.',
  'account-limit': () => 'Se han probado demasiados números de cuenta desde su teléfono. Utilice nuestro soporte web. Adiós.',
  'channel-prompt-sms': (p) => `Para recibir un código de verificación por SMS en el teléfono que termina en ${p.last}, pulse 1.`,
  'channel-prompt-email': (p) => `Para recibirlo por correo electrónico en ${p.address}, pulse 2.`,
  'channel-invalid': () => 'Lo sentimos, esa opción no es válida.',
  'no-channel': () =>
    'Su organización no tiene ningún teléfono ni correo electrónico registrado al que enviar un código de verificación. Pida a un administrador que actualice su perfil. Adiós.',
  'code-sent-sms': (p) => `Le hemos enviado un código de verificación por SMS al teléfono que termina en ${p.last}.`,
  'code-sent-email': (p) => `Le hemos enviado un código de verificación por correo electrónico a ${p.address}.`,
  'code-prompt': () => 'Introduzca el código de 6 dígitos.',
  'code-wrong': (p) =>
    `El código no es correcto. Le ${plural('es', p.left, { one: 'queda', other: 'quedan' })} ${p.left} ${plural('es', p.left, { one: 'intento', other: 'intentos' })}.`,
  'code-bad-format': () => 'El código tiene 6 dígitos.',
  'code-none': () => 'No hemos recibido un código de 6 dígitos. Vuelva a llamar cuando lo tenga. Adiós.',
  'code-dead': () => 'Ese código ya no se puede usar tras demasiados intentos fallidos. Vuelva a llamar para recibir uno nuevo. Adiós.',
  'code-expired': () => 'Ese código ha caducado. Vuelva a llamar para recibir uno nuevo. Adiós.',
  'code-rate-limited': () => 'Se han enviado demasiados códigos a su organización en los últimos 10 minutos. Inténtelo de nuevo dentro de 10 minutos. Adiós.',
  'code-rate-limited-caller': () =>
    'Se han solicitado demasiados códigos desde su teléfono en los últimos 10 minutos. Inténtelo de nuevo dentro de 10 minutos. Adiós.',
  'code-locked': () =>
    'Tras demasiados códigos incorrectos, la verificación por código de su organización está en pausa durante una hora. Utilice nuestro soporte web. Adiós.',
  'code-send-failed': (p) => `Lo sentimos, no hemos podido enviar el código por ${p.channel === 'sms' ? 'SMS' : 'correo electrónico'}.`,
  'code-send-failed-final': () => 'Lo sentimos, ahora mismo no podemos enviar un código de verificación. Vuelva a llamar dentro de unos minutos. Adiós.',
  verified: () => 'Gracias, su identidad está verificada.',
  'not-entitled-no-phone': () => 'Su plan no incluye soporte telefónico. Abra una solicitud en nuestro sitio web de soporte. Adiós.',
  'not-entitled-service': (p) => `Su plan no incluye soporte telefónico para ${p.service}. Abra una solicitud en nuestro sitio web de soporte. Adiós.`,
  'not-entitled-role': () =>
    'El soporte telefónico de su organización está reservado a sus administradores. Pida a un administrador que nos llame o abra una solicitud en nuestro sitio web de soporte. Adiós.',
  barred: (p) => `El soporte telefónico no está disponible para este número hasta el ${p.until}. Adiós.`,
  closed: (p) => `El horario de ${p.service} es ${p.hours}. En este momento estamos cerrados.`,
  'closed-holiday': () => 'Hoy es día festivo.',
  'callback-prompt': () => 'Si desea que le devolvamos la llamada, pulse 1. Si no, puede colgar.',
  'callback-or-urgent-prompt': (p) => `Si desea que le devolvamos la llamada, pulse 1. Si su incidencia es de prioridad ${p.levels}, pulse 2.`,
  'callback-none': () => 'Gracias por su llamada. Adiós.',
  'callback-created': () => 'Le devolveremos la llamada cuando abramos.',
  'priority-intro': () => 'Elija una prioridad.',
  'priority-option': (p) => `Si ${p.meaning}, pulse ${p.digit}.`,
  'priority-option-outage': (p) => `Caída para muchos usuarios, pulse ${p.digit}.`,
  'priority-option-critical': (p) => `Crítico para un usuario, pulse ${p.digit}.`,
  'priority-option-workaround': (p) => `Fallo con alternativa, pulse ${p.digit}.`,
  'priority-option-question': (p) => `Consulta o problema menor, pulse ${p.digit}.`,
  'priority-skipped': (p) => `Su ticket tiene prioridad ${p.level}.`,
  'priority-invalid': () => 'Lo sentimos, esa opción no es válida.',
  'priority-none': () => 'No hemos recibido ninguna prioridad. Vuelva a llamar, por favor. Adiós.',
  'priority-lowered-service': (p) =>
    `Las incidencias de ${p.service} se atienden como máximo con prioridad ${p.level}, así que su ticket tiene prioridad ${p.level}.`,
  'priority-lowered-plan': (p) => `Su plan incluye prioridad hasta ${p.level}, así que su ticket tiene prioridad ${p.level}.`,
  'priority-fair-use': (p) =>
    `Su organización ha abierto muchos tickets ${p.top} recientemente (en un plazo de ${p.window}), así que este ticket tiene prioridad ${p.level}.`,
  'ticket-number': (p) => `Su número de ticket es ${p.digits}.`,
  'ticket-due': (p) => `Prioridad ${p.level}. Le responderemos ${p.due}.`,
  'ticket-confirmation-sent': () => 'Hemos enviado una confirmación a su organización.',
  'ticket-confirmation-queued': () => 'En breve enviaremos una confirmación a su organización.',
  'ticket-confirmation-failed': () => 'No hemos podido enviar una confirmación a su organización. Anote su número de ticket.',
  'queue-hold': () => 'No cuelgue, le pasamos con un agente.',
  'ticket-queued': (p) => `Su número de ticket es ${p.digits}, ${p.level}. ${detailsBy(p.channel)}No cuelgue, por favor.`,
  'queue-position': (p) => (Number(p.position) <= 1 ? 'Es usted el siguiente.' : `Ocupa el puesto ${p.position} en la cola.`),
  'queue-callback-offer': () => 'Si prefiere que le llamemos sin perder su turno, pulse 1.',
  'queue-hold-on': () => 'No cuelgue, enseguida le atiende un agente.',
  'queue-key-invalid': () => 'Lo sentimos, esa tecla no tiene función durante la espera.',
  'queue-callback-kept': (p) => `Le llamaremos por el ticket ${p.digits} cuando sea su turno. Adiós.`,
  'queue-callback-taken': () => 'Un agente ya está atendiendo su llamada. No cuelgue, por favor.',
  'queue-callback-unavailable': () => 'Lo sentimos, ahora no podemos registrar una solicitud de llamada.',
  'queue-full': (p) => `Todas nuestras líneas están ocupadas. El ticket ${p.digits} conserva su turno y le llamaremos. Adiós.`,
  'open-ticket-prompt': (p) => `Tiene un ticket abierto, el número ${p.digits}. Para seguir con ese ticket, pulse 1. Para uno nuevo, pulse 2.`,
  'open-ticket-joined': (p) => `Le pasamos con un agente por el ticket ${p.digits}. No cuelgue, por favor.`,
  'open-ticket-with-agent': (p) => `Un agente ya está trabajando en el ticket ${p.digits}. Adiós.`,
  'ticket-limit-folded': (p) => `Ha abierto ${p.max} tickets en la última hora, así que esta llamada se suma al ticket ${p.digits}.`,
  'ticket-limit-reached': (p) => `Ha abierto ${p.max} tickets en la última hora, nuestro límite. Vuelva a llamar más tarde. Adiós.`,
  'org-intro': () => '¿En nombre de qué organización llama?',
  'org-option': (p) => `Para ${p.org}, pulse ${p.digit}.`,
  'queue-estimate': (p) => `El tiempo de espera estimado es de unos ${p.minutes} ${plural('es', p.minutes, { one: 'minuto', other: 'minutos' })}.`,
  'queue-thanks': () => 'Gracias por esperar. Un agente le atenderá en breve.',
  'error-generic': () => 'Lo sentimos, se ha producido un error por nuestra parte. Vuelva a llamar dentro de unos minutos. Adiós.',
  'error-store': () => 'Lo sentimos, nuestros sistemas están saturados en este momento. Vuelva a llamar dentro de unos minutos. Adiós.',
  'ticket-spooled': (p) =>
    `Nuestro sistema de tickets está saturado, pero su solicitud está guardada. Su referencia es ${p.digits}. Le devolveremos la llamada.`,
  'lost-state': () => 'Lo sentimos, hemos perdido los datos de su llamada. Vuelva a llamar, por favor. Adiós.',
  'one-moment': () => 'Un momento, por favor.',
  'agent-welcome': () => 'Línea de agentes.',
  'agent-id-prompt': () => 'Introduzca su identificador de agente y pulse la tecla almohadilla.',
  'agent-pin-prompt': () => 'Introduzca su PIN y pulse la tecla almohadilla.',
  'agent-denied': () => 'Esos datos no son correctos.',
  'agent-locked': () => 'El acceso está bloqueado tras demasiados intentos fallidos. Inténtelo de nuevo dentro de 15 minutos. Adiós.',
  'agent-no-callers': () => 'Ahora mismo no hay nadie esperando. Pulse 1 para volver a comprobarlo, o cuelgue.',
  'agent-whisper': (p) =>
    `${p.priority}, ${p.org}, plan ${p.plan}, ${p.method === 'code' ? 'verificado por código' : 'número de llamada'}. Ticket ${p.digits}.`,
  'agent-queue-empty': () => 'Esa persona ya no está esperando.',
  'agent-signed-in': (p) => `Hola, ${p.name}.`,
  'agent-too-many': () => 'El acceso ha fallado demasiadas veces. Compruebe sus datos y vuelva a llamar. Adiós.',
  'agent-next-prompt': () => 'Pulse 1 para la siguiente llamada, o cuelgue.',
  'agent-call-ended': () => 'La llamada ha finalizado.',
  'agent-bridge-caller': () => 'Le pasamos ahora con un agente.',
  'agent-whisper-callback': (p) =>
    `Devolución de llamada. ${p.priority}, ${p.org}, plan ${p.plan}, ${p.method === 'code' ? 'verificado por código' : 'número de llamada'}. Ticket ${p.digits}.`,
  'agent-callback-prompt': () => 'Pulse 1 para llamar al cliente, o 2 para devolver la llamada pendiente a la lista.',
  'agent-callback-returned': () => 'La llamada pendiente ha vuelto a la lista.',
  'agent-callback-no-answer': () => 'El cliente no ha contestado. La llamada pendiente sigue en la lista.',
  'agent-wrapup-prompt': () => 'Pulse 1 si la incidencia está resuelta, o 2 si sigue abierta.',
  'agent-wrapup-closed': () => 'Ticket cerrado.',
  'agent-wrapup-open': () => 'El ticket sigue abierto.',
  'callback-customer-intro': (p) => `Le llamamos del servicio de soporte por su ticket ${p.digits}. Le pasamos con un agente.`,
  'survey-prompt': () => 'Valore la ayuda recibida del 1 al 5, donde 5 es la mejor nota.',
  'survey-invalid': () => 'Pulse un número del 1 al 5.',
  'survey-thanks': () => 'Gracias por su valoración. Adiós.',
  'page-pin-cap-subject': (p) => `Agente ${p.agent}: ${p.count} PIN erróneos hoy`,
  'page-pin-cap-body': (p) =>
    `El agente con ID ${p.agent} ha introducido hoy ${p.count} PIN erróneos desde ${p.numbers} números, el último desde ${p.caller}. Cada número se bloquea por separado; el agente aún puede entrar desde su propio teléfono.`,
  'page-escalated-subject': (p) => `Ticket ${p.priority} ${p.number} escalado: sin primera respuesta`,
  'page-escalated-body': (p) =>
    `El ticket ${p.priority} ${p.number} de ${p.org} (${p.plan}) no tuvo respuesta antes de su plazo, ${p.due}; ahora lo lleva el nivel 2.`,
  'page-code-paused-subject': (p) => `Verificación por código en pausa: ${p.org}`,
  'page-code-paused-body': (p) =>
    `${p.count} códigos de verificación incorrectos seguidos para ${p.org} (${p.id}); la verificación por código queda bloqueada durante ${p.duration}. Consulte el registro de auditoría.`,
  'language-name': () => 'Español',
  'service-technical': () => 'soporte técnico',
  'service-billing': () => 'facturación',
  'service-other': (p) => `${p.id}`,
  'priority-meaning-1': () => 'el servicio no funciona para muchos usuarios y no hay alternativa',
  'priority-meaning-2': () => 'un problema crítico afecta a un usuario o al trabajo en equipo',
  'priority-meaning-3': () => 'algo no funciona como debería, pero hay una alternativa',
  'priority-meaning-4': () => 'tiene una pregunta o un problema menor',
  'day-name': (p) => DAYS[String(p.day)] ?? String(p.day),
  'days-range': (p) => `de ${DAYS[String(p.from)]} a ${DAYS[String(p.to)]}`,
  'hours-span': (p) => `${p.days}, de ${p.open} a ${p.close}`,
  'hours-always': () => 'las 24 horas, todos los días',
  'time-midnight': () => 'medianoche',
  'duration-days': (p) => `${p.count} ${plural('es', p.n ?? p.count, { one: 'día', other: 'días' })}`,
  'duration-hours': (p) => `${p.count} ${plural('es', p.n ?? p.count, { one: 'hora', other: 'horas' })}`,
  'duration-minutes': (p) => `${p.count} ${plural('es', p.n ?? p.count, { one: 'minuto', other: 'minutos' })}`,
  'due-today': (p) => `hoy a las ${p.time}`,
  'due-tomorrow': (p) => `mañana a las ${p.time}`,
  'due-weekday': (p) => `el ${p.day} a las ${p.time}`,
  'due-date': (p) => `el ${p.date} a las ${p.time}`,
  'date-at-time': (p) => `${p.date}, a las ${p.time}`,
  'time-in-zone': (p) => `${p.time} (${p.zone})`,
  'sms-code': (p) => `Su código de verificación de la línea de soporte es ${p.code}. Es válido durante 10 minutos. No lo comparta con nadie.`,
  'email-code-subject': () => 'Su código de verificación de la línea de soporte',
  'email-code-body': (p) =>
    `Su código de verificación es ${p.code}.\nEs válido durante 10 minutos y solo se puede usar una vez.\nSi no ha llamado a nuestra línea de soporte, puede ignorar este correo.`,
  'ticket-opened-text': (p) => `Se ha abierto por teléfono el ticket ${p.number} (${p.priority}, ${p.service}) para ${p.org}. Primera respuesta: ${p.due}.`,
  'ticket-opened-callback-text': (p) =>
    `Se ha abierto por teléfono el ticket ${p.number} (${p.priority}, ${p.service}) para ${p.org}. Le devolveremos la llamada; primera respuesta: ${p.due}.`,
  'ticket-opened-subject': (p) => `Ticket de soporte ${p.number} (${p.priority})`,
  'ticket-status-text': (p) => `El ticket ${p.number} (${p.priority}, ${p.service}) de ${p.org} ${STATUS[String(p.status)] ?? p.status}.`,
  'ticket-status-subject': (p) => `Ticket de soporte ${p.number}: ${STATUS_NAME[String(p.status)] ?? p.status}`,
  'page-subject': (p) => `Ticket ${p.priority} ${p.number}: ${p.org}`,
  'page-text': (p) => `Ticket ${p.priority} ${p.number} (${p.service}) de ${p.org} (plan ${p.plan}) en ${p.line}, primera respuesta: ${p.due}.`,
  'ticket-closed-subject': (p) => `El ticket de soporte ${p.number} está cerrado`,
  'ticket-closed-text': (p) => `El ticket de soporte ${p.number} (${p.priority}) de ${p.org} está cerrado.`,
  'ticket-closed-resolution': (p) => `Solución: ${p.resolution}`,
};

/** Where the ticket's details went, as a sentence with its trailing space ('' when no confirmation was sent). */
function detailsBy(channel: unknown): string {
  return channel === 'sms' ? 'Le enviamos los detalles por SMS. ' : channel === 'email' ? 'Le enviamos los detalles por correo electrónico. ' : '';
}

/** Mexico (and US Spanish): "oprima", "ingrese", "la tecla de gato" for #, "lo comunicamos": derived, so it can never miss a message. */
const mexican = (text: string): string =>
  text
    .replace(/\bpulse\b/g, 'oprima')
    .replace(/\bPulse\b/g, 'Oprima')
    .replace(/\bintroduzca\b/g, 'ingrese')
    .replace(/\bIntroduzca\b/g, 'Ingrese')
    .replace(/la tecla almohadilla/g, 'la tecla de gato')
    .replace(/\bLe pasamos\b/g, 'Lo comunicamos')
    .replace(/\ble pasamos\b/g, 'lo comunicamos')
    .replace(/ha caducado/g, 'ha vencido');

export const esMX = Object.fromEntries(
  (Object.keys(es) as MessageId[]).map((id) => [id, (p: Parameters<Catalog[MessageId]>[0]) => mexican(es[id](p))]),
) as Catalog;
