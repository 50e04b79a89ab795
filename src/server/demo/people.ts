import type { CarrierName, DemoCurrency } from './catalog';

/**
 * Who writes to the demo shop and how they say it: countries (names, phone numbering, currency,
 * carriers, places) and, per language, several natural phrasings of each kind of question, so
 * the demo inbox reads like real traffic rather than one template repeated. Data only.
 *
 * Placeholders in phrases: {order} (`#1043`), {product}, {garment} (a product that comes in
 * sizes), {booking} (a booking reference), {day} (a weekday), {city}, {amount}. A phrase is only
 * used when its placeholders make sense for the customer (no {order} without an order).
 */

export type DemoLanguage = 'en' | 'nl' | 'de' | 'fr' | 'it';
export const DEMO_LANGUAGES: readonly DemoLanguage[] = ['en', 'nl', 'de', 'fr', 'it'];

export type DemoCountryCode = 'GB' | 'US' | 'NL' | 'DE' | 'FR' | 'IT';

export interface DemoPlace {
  readonly name: string;
  readonly address: string;
  readonly latitude: number;
  readonly longitude: number;
}

export interface DemoCountry {
  readonly code: DemoCountryCode;
  readonly language: DemoLanguage;
  /** BCP 47 tag for number and currency formatting. */
  readonly locale: string;
  readonly callingCode: string;
  /**
   * Mobile numbers after the calling code, grouped as people write them: `#` is any digit,
   * `N` a digit 2-9, anything else literal.
   */
  readonly mobilePatterns: readonly string[];
  readonly currency: DemoCurrency;
  readonly carriers: readonly CarrierName[];
  readonly femaleNames: readonly string[];
  readonly maleNames: readonly string[];
  readonly lastNames: readonly string[];
  readonly places: readonly DemoPlace[];
}

/** Reserved example domains (RFC 2606 / 6761): demo addresses never reach a real mailbox. */
export const DEMO_EMAIL_DOMAINS: readonly string[] = [
  'example.com',
  'example.net',
  'example.org',
  'mail.example',
];

export const DEMO_COUNTRIES: Readonly<Record<DemoCountryCode, DemoCountry>> = {
  GB: {
    code: 'GB',
    language: 'en',
    locale: 'en-GB',
    callingCode: '+44',
    mobilePatterns: ['7N## ######'],
    currency: 'GBP',
    carriers: ['DPD', 'UPS', 'DHL'],
    femaleNames: ['Olivia', 'Amelia', 'Isla', 'Emily', 'Sophie', 'Grace', 'Charlotte', 'Hannah'],
    maleNames: ['Oliver', 'Harry', 'George', 'Jack', 'Thomas', 'James', 'Daniel', 'Samuel'],
    lastNames: [
      'Smith',
      'Jones',
      'Taylor',
      'Brown',
      'Wilson',
      'Evans',
      'Roberts',
      'Hughes',
      'Patel',
      'Khan',
      'Clarke',
      "O'Connor",
    ],
    places: [
      {
        name: "King's Cross Station",
        address: 'Euston Road, London N1 9AL',
        latitude: 51.5308,
        longitude: -0.1238,
      },
      {
        name: 'Manchester Piccadilly',
        address: 'Piccadilly Station Approach, Manchester M60 7RA',
        latitude: 53.4774,
        longitude: -2.2309,
      },
      {
        name: 'Edinburgh Waverley',
        address: 'Waverley Bridge, Edinburgh EH1 1BB',
        latitude: 55.952,
        longitude: -3.189,
      },
    ],
  },
  US: {
    code: 'US',
    language: 'en',
    locale: 'en-US',
    callingCode: '+1',
    mobilePatterns: [
      '212 N## ####',
      '312 N## ####',
      '415 N## ####',
      '617 N## ####',
      '206 N## ####',
      '512 N## ####',
    ],
    currency: 'USD',
    carriers: ['UPS', 'DHL'],
    femaleNames: ['Emma', 'Ava', 'Mia', 'Madison', 'Abigail', 'Harper', 'Ella', 'Avery'],
    maleNames: ['Liam', 'Noah', 'Ethan', 'Mason', 'Logan', 'Lucas', 'Carter', 'Jackson'],
    lastNames: [
      'Johnson',
      'Miller',
      'Davis',
      'Garcia',
      'Rodriguez',
      'Martinez',
      'Anderson',
      'Thompson',
      'Moore',
      'Lee',
      'Harris',
      'Robinson',
    ],
    places: [
      {
        name: 'Grand Central Terminal',
        address: '89 E 42nd St, New York, NY 10017',
        latitude: 40.7527,
        longitude: -73.9772,
      },
      {
        name: 'Union Station',
        address: '225 S Canal St, Chicago, IL 60606',
        latitude: 41.8787,
        longitude: -87.6403,
      },
      {
        name: 'Ferry Building',
        address: '1 Ferry Building, San Francisco, CA 94111',
        latitude: 37.7955,
        longitude: -122.3937,
      },
    ],
  },
  NL: {
    code: 'NL',
    language: 'nl',
    locale: 'nl-NL',
    callingCode: '+31',
    mobilePatterns: ['6 N### ####'],
    currency: 'EUR',
    carriers: ['PostNL', 'DHL', 'DPD'],
    femaleNames: ['Emma', 'Julia', 'Sanne', 'Lotte', 'Fleur', 'Lieke', 'Noor', 'Femke', 'Iris'],
    maleNames: ['Daan', 'Sem', 'Bram', 'Thijs', 'Jesse', 'Ruben', 'Stijn', 'Jeroen', 'Pieter'],
    lastNames: [
      'de Vries',
      'Jansen',
      'de Jong',
      'van den Berg',
      'Bakker',
      'Visser',
      'Smit',
      'Meijer',
      'de Boer',
      'Mulder',
      'van Dijk',
      'Brouwer',
    ],
    places: [
      {
        name: 'Amsterdam Centraal',
        address: 'Stationsplein, 1012 AB Amsterdam',
        latitude: 52.3791,
        longitude: 4.9003,
      },
      {
        name: 'Utrecht Centraal',
        address: 'Stationshal 12, 3511 CE Utrecht',
        latitude: 52.0894,
        longitude: 5.1101,
      },
      {
        name: 'Rotterdam Centraal',
        address: 'Stationsplein 1, 3013 AJ Rotterdam',
        latitude: 51.9249,
        longitude: 4.469,
      },
    ],
  },
  DE: {
    code: 'DE',
    language: 'de',
    locale: 'de-DE',
    callingCode: '+49',
    mobilePatterns: ['151 ########', '160 #######', '170 #######', '176 ########'],
    currency: 'EUR',
    carriers: ['DHL', 'DPD', 'UPS'],
    femaleNames: ['Lena', 'Hannah', 'Katharina', 'Laura', 'Johanna', 'Marie', 'Sabine', 'Anja'],
    maleNames: ['Lukas', 'Jonas', 'Felix', 'Maximilian', 'Tobias', 'Florian', 'Stefan', 'Moritz'],
    lastNames: [
      'Müller',
      'Schmidt',
      'Schneider',
      'Fischer',
      'Weber',
      'Wagner',
      'Becker',
      'Hoffmann',
      'Koch',
      'Schröder',
      'Neumann',
      'Krüger',
    ],
    places: [
      {
        name: 'Berlin Hauptbahnhof',
        address: 'Europaplatz 1, 10557 Berlin',
        latitude: 52.5251,
        longitude: 13.3694,
      },
      {
        name: 'München Hauptbahnhof',
        address: 'Bayerstraße 10A, 80335 München',
        latitude: 48.1402,
        longitude: 11.56,
      },
      {
        name: 'Hamburg Hauptbahnhof',
        address: 'Hachmannplatz 16, 20099 Hamburg',
        latitude: 53.553,
        longitude: 10.0069,
      },
    ],
  },
  FR: {
    code: 'FR',
    language: 'fr',
    locale: 'fr-FR',
    callingCode: '+33',
    mobilePatterns: ['6 ## ## ## ##', '7 ## ## ## ##'],
    currency: 'EUR',
    carriers: ['Colissimo', 'DPD', 'UPS'],
    femaleNames: ['Camille', 'Léa', 'Manon', 'Chloé', 'Inès', 'Juliette', 'Émilie', 'Margaux'],
    maleNames: ['Hugo', 'Louis', 'Gabriel', 'Arthur', 'Jules', 'Théo', 'Antoine', 'Julien'],
    lastNames: [
      'Martin',
      'Bernard',
      'Dubois',
      'Robert',
      'Richard',
      'Petit',
      'Durand',
      'Leroy',
      'Moreau',
      'Lefèvre',
      'Fournier',
      'Girard',
    ],
    places: [
      {
        name: 'Gare de Lyon',
        address: 'Place Louis-Armand, 75012 Paris',
        latitude: 48.8443,
        longitude: 2.3744,
      },
      {
        name: 'Lyon Part-Dieu',
        address: '5 Place Charles Béraudier, 69003 Lyon',
        latitude: 45.7606,
        longitude: 4.8595,
      },
      {
        name: 'Bordeaux Saint-Jean',
        address: 'Rue Charles Domercq, 33800 Bordeaux',
        latitude: 44.8259,
        longitude: -0.5563,
      },
    ],
  },
  IT: {
    code: 'IT',
    language: 'it',
    locale: 'it-IT',
    callingCode: '+39',
    mobilePatterns: ['34# ### ####', '33# ### ####', '32# ### ####'],
    currency: 'EUR',
    carriers: ['BRT', 'DHL', 'UPS'],
    femaleNames: ['Giulia', 'Sofia', 'Chiara', 'Francesca', 'Martina', 'Elena', 'Valentina'],
    maleNames: ['Francesco', 'Alessandro', 'Lorenzo', 'Matteo', 'Andrea', 'Marco', 'Davide'],
    lastNames: [
      'Rossi',
      'Russo',
      'Ferrari',
      'Esposito',
      'Bianchi',
      'Romano',
      'Colombo',
      'Ricci',
      'Greco',
      'Conti',
      'De Luca',
      'Moretti',
    ],
    places: [
      {
        name: 'Milano Centrale',
        address: "Piazza Duca d'Aosta 1, 20124 Milano",
        latitude: 45.4861,
        longitude: 9.2045,
      },
      {
        name: 'Roma Termini',
        address: 'Piazza dei Cinquecento, 00185 Roma',
        latitude: 41.901,
        longitude: 12.5018,
      },
      {
        name: 'Firenze Santa Maria Novella',
        address: 'Piazza della Stazione, 50123 Firenze',
        latitude: 43.7765,
        longitude: 11.2481,
      },
    ],
  },
};

/** Countries per language, with how often each appears among that language's customers. */
export const COUNTRIES_BY_LANGUAGE: Readonly<
  Record<DemoLanguage, readonly { readonly code: DemoCountryCode; readonly weight: number }[]>
> = {
  en: [
    { code: 'GB', weight: 3 },
    { code: 'US', weight: 2 },
  ],
  nl: [{ code: 'NL', weight: 1 }],
  de: [{ code: 'DE', weight: 1 }],
  fr: [{ code: 'FR', weight: 1 }],
  it: [{ code: 'IT', weight: 1 }],
};

export type ImageSubject = 'damaged' | 'tracking' | 'wrongItem' | 'payment' | 'product';
export type DocumentKind = 'receipt' | 'bankStatement' | 'returnForm' | 'booking';

/** Everything a customer may say, by kind. */
export interface Phrasebook {
  readonly greeting: readonly string[];
  readonly orderStatus: readonly string[];
  readonly delivery: readonly string[];
  readonly returns: readonly string[];
  readonly payment: readonly string[];
  readonly booking: readonly string[];
  readonly presale: readonly string[];
  /** The pre-filled first message of a click-to-WhatsApp ad. */
  readonly adReferral: readonly string[];
  readonly followUp: readonly string[];
  readonly thanks: readonly string[];
  /** Captions of photos customers send, by what the photo shows. */
  readonly imageCaptions: Readonly<Record<ImageSubject, readonly string[]>>;
  /** Captions of documents customers send, by kind. */
  readonly documents: Readonly<Record<DocumentKind, string>>;
  /** A note on a catalog order. */
  readonly catalogNote: readonly string[];
  /** A WeChat Pay notification. */
  readonly paymentNotice: readonly string[];
  readonly weekdays: readonly string[];
  /** Travel destinations, spelled in this language. */
  readonly destinations: readonly string[];
}

export const PHRASEBOOKS: Readonly<Record<DemoLanguage, Phrasebook>> = {
  en: {
    greeting: [
      'Hi there!',
      'Hello, is anyone available?',
      'Good morning 🙂',
      'Hey, quick question',
      'Hi, I hope you can help me',
    ],
    orderStatus: [
      'Where is my order {order}?',
      'Hi, any news on order {order}? It still says processing.',
      'Could you tell me when order {order} will be shipped?',
      "I ordered last week ({order}) and haven't heard anything since. Can you check?",
      "What's the status of {order} please?",
    ],
    delivery: [
      "The tracking for {order} hasn't updated in three days, is it lost?",
      "My parcel ({order}) says delivered but there's nothing at my door",
      "Can I change the delivery address for {order}? I'll be at work during the day.",
      "Will {order} arrive before {day}? It's a birthday present.",
      'The courier left a card for {order}, can they try again tomorrow?',
    ],
    returns: [
      "I'd like to return the {product} from order {order}, how does that work?",
      'I ordered the {garment} but the size is too small. Can I exchange it for a bigger one?',
      'I sent the return for {order} back two weeks ago, when will I get my refund?',
      'Could you send me a return label for {order}?',
      'One item in {order} arrived damaged, what should I do?',
    ],
    payment: [
      'I was charged twice for {order}',
      'My card payment failed but the money has left my account (order {order})',
      'Can I get a VAT invoice for {order}?',
      'Is it possible to pay by bank transfer?',
      "Still waiting for the refund for {order}, it's been 10 days",
    ],
    booking: [
      'Can I move my booking {booking} to {day}?',
      'I need to add a checked bag to reservation {booking}',
      "Is late check-in possible? Booking {booking}, we'll arrive around 11pm",
      'Our flight was cancelled, what happens to booking {booking}?',
      'Could you add breakfast to reservation {booking} in {city}?',
      'I want to cancel booking {booking}. Will I get a full refund?',
    ],
    presale: [
      'Do you have the {product} in stock?',
      'Do you have the {product} in other colours too?',
      'How long does delivery to {city} take?',
      'Do you gift-wrap? Thinking of getting the {product} for my sister',
    ],
    adReferral: [
      "Hi! I saw your ad and I'd like more info about the {product}.",
      "Hello, I'm interested in the offer from your ad 👀",
      'Hi, is the discount from the ad still valid for the {product}?',
    ],
    followUp: [
      'Any update?',
      'Hello? Still waiting for an answer',
      'Sorry to chase, any news?',
      'Can someone please get back to me?',
      'Just checking in on this',
    ],
    thanks: [
      'Thanks!',
      "Thank you, that's great 🙏",
      'Perfect, thanks for your help',
      "Ok thanks, I'll wait then",
    ],
    imageCaptions: {
      damaged: [
        'This is how it arrived',
        'The box was completely crushed',
        "Look at the corner, it's cracked",
      ],
      tracking: ['Screenshot of the tracking page', 'Photo of the label on {order}'],
      wrongItem: ['Wrong colour, I ordered navy', 'This is not what I ordered'],
      payment: ['Screenshot of my banking app'],
      product: ['Do you still have this one?', 'Saw this on your Instagram, is it available?'],
    },
    documents: {
      receipt: 'Here is my receipt',
      bankStatement: 'Bank statement showing the double charge',
      returnForm: 'Return form for {order}',
      booking: 'My booking confirmation',
    },
    catalogNote: [
      'Could you gift-wrap this please?',
      'Please deliver after 5pm',
      'Is next-day delivery possible?',
    ],
    paymentNotice: ['Paid {amount} for order {order} with WeChat Pay'],
    weekdays: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
    destinations: ['Lisbon', 'Barcelona', 'Vienna', 'Copenhagen', 'Prague', 'Rome'],
  },
  nl: {
    greeting: [
      'Hoi!',
      'Goedemorgen, is er iemand die me kan helpen?',
      'Hallo, ik heb een vraag',
      'Hey, even een vraagje',
      'Goedemiddag 🙂',
    ],
    orderStatus: [
      'Waar blijft mijn bestelling {order}?',
      'Hoi, is er al nieuws over bestelling {order}? Er staat nog steeds "in behandeling".',
      'Wanneer wordt bestelling {order} verzonden?',
      'Ik heb vorige week besteld ({order}) maar nog niks gehoord. Kunnen jullie even kijken?',
      'Kunnen jullie de status van {order} checken?',
    ],
    delivery: [
      'De track & trace van {order} staat al drie dagen stil, is het pakket kwijt?',
      'Er staat dat {order} bezorgd is, maar ik heb niks ontvangen',
      'Kan ik het bezorgadres van {order} nog wijzigen? Ik ben overdag op mijn werk.',
      'Komt {order} nog vóór {day}? Het is een verjaardagscadeau.',
      'De bezorger heeft een kaartje achtergelaten voor {order}, kan het morgen opnieuw?',
    ],
    returns: [
      'Ik wil de {product} uit bestelling {order} retourneren, hoe werkt dat?',
      'De maat van de {garment} is te klein. Kan ik ruilen voor een grotere maat?',
      'Ik heb de retour van {order} twee weken geleden teruggestuurd, wanneer krijg ik mijn geld terug?',
      'Kunnen jullie me een retourlabel sturen voor {order}?',
      'Eén artikel uit {order} was beschadigd, wat moet ik doen?',
    ],
    payment: [
      'Ik ben twee keer afgeschreven voor {order}',
      'Mijn iDEAL-betaling is mislukt maar het geld is wel van mijn rekening ({order})',
      'Kan ik een factuur met btw krijgen voor {order}?',
      'Kan ik ook achteraf betalen?',
      'Ik wacht nog steeds op de terugbetaling van {order}, het is al 10 dagen',
    ],
    booking: [
      'Kan ik mijn boeking {booking} verzetten naar {day}?',
      'Ik wil graag een koffer in het ruim toevoegen aan reservering {booking}',
      'Is laat inchecken mogelijk? Boeking {booking}, we komen rond 23:00 aan',
      'Onze vlucht is geannuleerd, wat gebeurt er met boeking {booking}?',
      'Kan er ontbijt bij reservering {booking} in {city}?',
      'Ik wil boeking {booking} annuleren. Krijg ik alles terug?',
    ],
    presale: [
      'Hebben jullie de {product} nog op voorraad?',
      'Hebben jullie de {product} ook in andere kleuren?',
      'Hoe lang duurt de levering naar {city}?',
      'Pakken jullie ook als cadeau in? Ik wil de {product} aan mijn zus geven',
    ],
    adReferral: [
      'Hoi! Ik zag jullie advertentie en wil graag meer weten over de {product}.',
      'Hallo, ik heb interesse in de aanbieding uit jullie advertentie 👀',
      'Geldt de korting uit de advertentie nog voor de {product}?',
    ],
    followUp: [
      'Al nieuws?',
      'Hallo? Ik wacht nog op antwoord',
      'Sorry dat ik weer stoor, is er al iets bekend?',
      'Kan iemand mij alsjeblieft antwoorden?',
      'Even checken of jullie mijn bericht gezien hebben',
    ],
    thanks: [
      'Dank je!',
      'Top, bedankt 🙏',
      'Super, dank voor de hulp',
      'Oké, dan wacht ik nog even',
    ],
    imageCaptions: {
      damaged: [
        'Zo kwam het binnen',
        'De doos was helemaal ingedeukt',
        'Kijk naar de hoek, die is gebarsten',
      ],
      tracking: ['Screenshot van de track & trace', 'Foto van het label van {order}'],
      wrongItem: ['Verkeerde kleur, ik had donkerblauw besteld', 'Dit heb ik niet besteld'],
      payment: ['Screenshot uit mijn bankapp'],
      product: ['Hebben jullie deze nog?', 'Zag dit op jullie Instagram, is het nog leverbaar?'],
    },
    documents: {
      receipt: 'Hier is mijn bon',
      bankStatement: 'Afschrift met de dubbele afschrijving',
      returnForm: 'Retourformulier voor {order}',
      booking: 'Mijn boekingsbevestiging',
    },
    catalogNote: [
      'Kunnen jullie het als cadeau inpakken?',
      'Graag bezorgen na 17:00',
      'Kan dit morgen al bezorgd worden?',
    ],
    paymentNotice: ['{amount} betaald voor bestelling {order} met WeChat Pay'],
    weekdays: ['maandag', 'dinsdag', 'woensdag', 'donderdag', 'vrijdag', 'zaterdag', 'zondag'],
    destinations: ['Lissabon', 'Barcelona', 'Wenen', 'Kopenhagen', 'Praag', 'Rome'],
  },
  de: {
    greeting: [
      'Hallo!',
      'Guten Morgen, ist jemand erreichbar?',
      'Hi, ich hätte eine Frage',
      'Guten Tag 🙂',
      'Hallo zusammen, kurze Frage',
    ],
    orderStatus: [
      'Wo bleibt meine Bestellung {order}?',
      'Gibt es Neuigkeiten zu Bestellung {order}? Da steht immer noch „in Bearbeitung“.',
      'Wann wird die Bestellung {order} verschickt?',
      'Ich habe letzte Woche bestellt ({order}) und seitdem nichts gehört. Können Sie mal nachsehen?',
      'Könnten Sie bitte den Status von {order} prüfen?',
    ],
    delivery: [
      'Die Sendungsverfolgung für {order} hat sich seit drei Tagen nicht bewegt. Ist das Paket verloren?',
      'Laut Tracking wurde {order} zugestellt, aber bei mir ist nichts angekommen',
      'Kann ich die Lieferadresse für {order} noch ändern? Ich bin tagsüber im Büro.',
      'Kommt {order} noch vor {day}? Es ist ein Geburtstagsgeschenk.',
      'Der Bote hat für {order} eine Karte eingeworfen. Kann morgen noch mal zugestellt werden?',
    ],
    returns: [
      'Ich möchte „{product}“ aus Bestellung {order} zurückschicken. Wie läuft das ab?',
      'Der Artikel „{garment}“ ist zu klein. Kann ich ihn gegen eine größere Größe umtauschen?',
      'Meine Rücksendung zu {order} ist seit zwei Wochen unterwegs, wann bekomme ich mein Geld zurück?',
      'Können Sie mir ein Retourenetikett für {order} schicken?',
      'Ein Artikel aus {order} ist beschädigt angekommen. Was soll ich tun?',
    ],
    payment: [
      'Mir wurde {order} zweimal abgebucht',
      'Die PayPal-Zahlung ist fehlgeschlagen, aber das Geld ist weg ({order})',
      'Kann ich für {order} eine Rechnung mit ausgewiesener MwSt. bekommen?',
      'Kann ich auch auf Rechnung bezahlen?',
      'Ich warte immer noch auf die Erstattung für {order}, schon 10 Tage',
    ],
    booking: [
      'Kann ich meine Buchung {booking} auf {day} umbuchen?',
      'Ich möchte zur Buchung {booking} ein Aufgabegepäck hinzufügen',
      'Ist ein später Check-in möglich? Buchung {booking}, wir kommen gegen 23 Uhr an',
      'Unser Flug wurde gestrichen – was passiert mit der Buchung {booking}?',
      'Kann ich zur Reservierung {booking} in {city} Frühstück dazubuchen?',
      'Ich möchte die Buchung {booking} stornieren. Bekomme ich alles erstattet?',
    ],
    presale: [
      'Haben Sie „{product}“ noch auf Lager?',
      'Gibt es „{product}“ auch in anderen Farben?',
      'Wie lange dauert die Lieferung nach {city}?',
      'Verpacken Sie auch als Geschenk? Ich würde „{product}“ gern verschenken',
    ],
    adReferral: [
      'Hallo! Ich habe Ihre Anzeige gesehen und hätte gern mehr Infos zu „{product}“.',
      'Hi, ich interessiere mich für das Angebot aus der Werbung 👀',
      'Gilt der Rabatt aus der Anzeige noch für „{product}“?',
    ],
    followUp: [
      'Gibt es schon etwas Neues?',
      'Hallo? Ich warte noch auf eine Antwort',
      'Entschuldigung, dass ich noch mal nachfrage – gibt es Neuigkeiten?',
      'Kann sich bitte jemand bei mir melden?',
      'Wollte nur kurz nachhaken',
    ],
    thanks: [
      'Danke!',
      'Vielen Dank, super 🙏',
      'Perfekt, danke für die Hilfe',
      'Okay, danke, dann warte ich noch',
    ],
    imageCaptions: {
      damaged: [
        'So kam das Paket an',
        'Der Karton war total zerdrückt',
        'Schauen Sie mal die Ecke an, die ist gesprungen',
      ],
      tracking: ['Screenshot der Sendungsverfolgung', 'Foto vom Etikett von {order}'],
      wrongItem: ['Falsche Farbe, ich hatte Dunkelblau bestellt', 'Das habe ich nicht bestellt'],
      payment: ['Screenshot aus meiner Banking-App'],
      product: ['Haben Sie das noch?', 'Auf Ihrem Instagram gesehen – ist das noch lieferbar?'],
    },
    documents: {
      receipt: 'Hier ist mein Beleg',
      bankStatement: 'Kontoauszug mit der doppelten Abbuchung',
      returnForm: 'Rücksendeformular für {order}',
      booking: 'Meine Buchungsbestätigung',
    },
    catalogNote: [
      'Bitte als Geschenk verpacken',
      'Bitte erst nach 17 Uhr liefern',
      'Ist eine Lieferung morgen möglich?',
    ],
    paymentNotice: ['{amount} für Bestellung {order} mit WeChat Pay bezahlt'],
    weekdays: ['Montag', 'Dienstag', 'Mittwoch', 'Donnerstag', 'Freitag', 'Samstag', 'Sonntag'],
    destinations: ['Lissabon', 'Barcelona', 'Wien', 'Kopenhagen', 'Prag', 'Rom'],
  },
  fr: {
    greeting: [
      'Bonjour !',
      'Bonjour, il y a quelqu’un ?',
      'Salut, j’ai une petite question',
      'Bonsoir 🙂',
      'Bonjour, j’espère que vous pourrez m’aider',
    ],
    orderStatus: [
      'Où en est ma commande {order} ?',
      'Bonjour, des nouvelles de la commande {order} ? Elle est toujours « en préparation ».',
      'Quand la commande {order} sera-t-elle expédiée ?',
      'J’ai commandé la semaine dernière ({order}) et je n’ai aucune nouvelle. Vous pouvez vérifier ?',
      'Pouvez-vous me donner le statut de {order} s’il vous plaît ?',
    ],
    delivery: [
      'Le suivi de {order} ne bouge plus depuis trois jours, le colis est perdu ?',
      'Le suivi indique que {order} est livrée mais je n’ai rien reçu',
      'Je peux encore changer l’adresse de livraison de {order} ? Je suis au travail en journée.',
      'Est-ce que {order} arrivera avant {day} ? C’est un cadeau d’anniversaire.',
      'Le livreur a laissé un avis de passage pour {order}, il peut repasser demain ?',
    ],
    returns: [
      'Je voudrais retourner l’article « {product} » de la commande {order}, comment faire ?',
      'L’article « {garment} » est trop petit. Je peux l’échanger contre la taille au-dessus ?',
      'J’ai renvoyé mon retour pour {order} il y a deux semaines, quand vais-je recevoir le remboursement ?',
      'Pouvez-vous m’envoyer une étiquette de retour pour {order} ?',
      'Un article de {order} est arrivé abîmé, que dois-je faire ?',
    ],
    payment: [
      'On m’a débité deux fois pour {order}',
      'Le paiement par carte a échoué mais l’argent a quitté mon compte ({order})',
      'Je peux avoir une facture avec TVA pour {order} ?',
      'Est-ce possible de payer en plusieurs fois ?',
      'J’attends toujours le remboursement de {order}, ça fait 10 jours',
    ],
    booking: [
      'Est-ce que je peux décaler ma réservation {booking} à {day} ?',
      'Je voudrais ajouter un bagage en soute à la réservation {booking}',
      'Un check-in tardif est possible ? Réservation {booking}, arrivée vers 23 h',
      'Notre vol a été annulé, que se passe-t-il pour la réservation {booking} ?',
      'Peut-on ajouter le petit-déjeuner à la réservation {booking} à {city} ?',
      'Je souhaite annuler la réservation {booking}. Le remboursement sera-t-il intégral ?',
    ],
    presale: [
      'Vous avez encore « {product} » en stock ?',
      'Est-ce que « {product} » existe dans d’autres couleurs ?',
      'Combien de temps prend la livraison à {city} ?',
      'Vous faites les paquets cadeaux ? C’est pour offrir « {product} » à ma sœur',
    ],
    adReferral: [
      'Bonjour ! J’ai vu votre pub et j’aimerais en savoir plus sur « {product} ».',
      'Salut, l’offre de votre publicité m’intéresse 👀',
      'La réduction de la pub est-elle encore valable pour « {product} » ?',
    ],
    followUp: [
      'Des nouvelles ?',
      'Allô ? J’attends toujours une réponse',
      'Pardon de relancer, vous avez du nouveau ?',
      'Quelqu’un peut me répondre s’il vous plaît ?',
      'Je me permets de relancer',
    ],
    thanks: [
      'Merci !',
      'Merci beaucoup, c’est parfait 🙏',
      'Super, merci pour votre aide',
      'D’accord merci, j’attends alors',
    ],
    imageCaptions: {
      damaged: [
        'Voilà comment c’est arrivé',
        'Le carton était complètement écrasé',
        'Regardez le coin, il est fissuré',
      ],
      tracking: ['Capture d’écran du suivi', 'Photo de l’étiquette de {order}'],
      wrongItem: [
        'Mauvaise couleur, j’avais commandé du bleu marine',
        'Ce n’est pas ce que j’ai commandé',
      ],
      payment: ['Capture de mon appli bancaire'],
      product: ['Vous avez encore celui-ci ?', 'Vu sur votre Instagram, il est disponible ?'],
    },
    documents: {
      receipt: 'Voici mon ticket de caisse',
      bankStatement: 'Relevé bancaire avec le double prélèvement',
      returnForm: 'Formulaire de retour pour {order}',
      booking: 'Ma confirmation de réservation',
    },
    catalogNote: [
      'Pouvez-vous faire un paquet cadeau ?',
      'Livraison après 17 h s’il vous plaît',
      'Une livraison demain, c’est possible ?',
    ],
    paymentNotice: ['{amount} payés pour la commande {order} avec WeChat Pay'],
    weekdays: ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'],
    destinations: ['Lisbonne', 'Barcelone', 'Vienne', 'Copenhague', 'Prague', 'Rome'],
  },
  it: {
    greeting: [
      'Ciao!',
      'Buongiorno, c’è qualcuno?',
      'Salve, avrei una domanda',
      'Buonasera 🙂',
      'Ciao, spero possiate aiutarmi',
    ],
    orderStatus: [
      'Dov’è il mio ordine {order}?',
      'Ciao, novità sull’ordine {order}? Risulta ancora "in lavorazione".',
      'Quando verrà spedito l’ordine {order}?',
      'Ho ordinato la settimana scorsa ({order}) e non ho più saputo niente. Potete controllare?',
      'Potete verificare lo stato di {order} per favore?',
    ],
    delivery: [
      'Il tracking di {order} è fermo da tre giorni, il pacco è andato perso?',
      'Risulta consegnato {order} ma non ho ricevuto niente',
      'Posso ancora cambiare l’indirizzo di consegna di {order}? Di giorno sono al lavoro.',
      '{order} arriverà prima di {day}? È un regalo di compleanno.',
      'Il corriere ha lasciato un avviso per {order}, può ripassare domani?',
    ],
    returns: [
      'Vorrei restituire l’articolo «{product}» dell’ordine {order}, come funziona?',
      'L’articolo «{garment}» è troppo piccolo. Posso cambiarlo con una taglia più grande?',
      'Ho rispedito il reso di {order} due settimane fa, quando riceverò il rimborso?',
      'Potete mandarmi un’etichetta di reso per {order}?',
      'Un articolo di {order} è arrivato danneggiato, cosa devo fare?',
    ],
    payment: [
      'Mi avete addebitato due volte l’ordine {order}',
      'Il pagamento con carta non è andato a buon fine ma i soldi mi sono stati addebitati ({order})',
      'Posso avere la fattura con IVA per {order}?',
      'Si può pagare con bonifico?',
      'Sto ancora aspettando il rimborso di {order}, sono passati 10 giorni',
    ],
    booking: [
      'Posso spostare la prenotazione {booking} a {day}?',
      'Vorrei aggiungere un bagaglio da stiva alla prenotazione {booking}',
      'È possibile fare il check-in tardi? Prenotazione {booking}, arriviamo verso le 23',
      'Il nostro volo è stato cancellato, cosa succede alla prenotazione {booking}?',
      'Si può aggiungere la colazione alla prenotazione {booking} a {city}?',
      'Vorrei cancellare la prenotazione {booking}. Avrò il rimborso completo?',
    ],
    presale: [
      'Avete ancora disponibile «{product}»?',
      '«{product}» c’è anche in altri colori?',
      'Quanto ci mette la consegna a {city}?',
      'Fate confezioni regalo? Vorrei regalare «{product}» a mia sorella',
    ],
    adReferral: [
      'Ciao! Ho visto la vostra pubblicità e vorrei più informazioni su «{product}».',
      'Salve, mi interessa l’offerta della vostra pubblicità 👀',
      'Lo sconto della pubblicità vale ancora per «{product}»?',
    ],
    followUp: [
      'Novità?',
      'Pronto? Sto ancora aspettando una risposta',
      'Scusate se insisto, ci sono aggiornamenti?',
      'Qualcuno può rispondermi per favore?',
      'Volevo solo sollecitare',
    ],
    thanks: [
      'Grazie!',
      'Grazie mille, perfetto 🙏',
      'Ottimo, grazie per l’aiuto',
      'Va bene grazie, allora aspetto',
    ],
    imageCaptions: {
      damaged: [
        'Ecco com’è arrivato',
        'La scatola era completamente schiacciata',
        'Guardate l’angolo, è crepato',
      ],
      tracking: ['Screenshot del tracking', 'Foto dell’etichetta di {order}'],
      wrongItem: ['Colore sbagliato, avevo ordinato blu navy', 'Non è quello che ho ordinato'],
      payment: ['Screenshot della mia app della banca'],
      product: ['Avete ancora questo?', 'L’ho visto sul vostro Instagram, è disponibile?'],
    },
    documents: {
      receipt: 'Ecco la mia ricevuta',
      bankStatement: 'Estratto conto con il doppio addebito',
      returnForm: 'Modulo di reso per {order}',
      booking: 'La mia conferma di prenotazione',
    },
    catalogNote: [
      'Potete fare una confezione regalo?',
      'Consegna dopo le 17 per favore',
      'È possibile la consegna domani?',
    ],
    paymentNotice: ['Pagati {amount} per l’ordine {order} con WeChat Pay'],
    weekdays: ['lunedì', 'martedì', 'mercoledì', 'giovedì', 'venerdì', 'sabato', 'domenica'],
    destinations: ['Lisbona', 'Barcellona', 'Vienna', 'Copenaghen', 'Praga', 'Parigi'],
  },
};

/**
 * What the simulated teammates write: a first answer (about an order, or not) and a closing
 * one after a second question. `{name}` is the customer's first name.
 */
export interface TeamPhrases {
  readonly order: readonly string[];
  readonly answer: readonly string[];
  readonly closing: readonly string[];
}

export const TEAM_PHRASES: Readonly<Record<DemoLanguage, TeamPhrases>> = {
  en: {
    order: [
      "Hi {name}, thanks for your message! I've checked {order} and I'm on it.",
      "Hello {name}, I've looked into {order} for you; you'll have an e-mail with the details within the hour.",
      'Thanks for waiting, {name}. I have just updated {order} for you.',
    ],
    answer: [
      "Hi {name}, thanks for your message! Happy to help: I've sent you the details by e-mail.",
      'Hello {name}, good question. Yes, we can do that for you.',
      "Thanks for waiting, {name}! I've sorted this out for you.",
    ],
    closing: ['All done, {name}. Have a great day!', 'No problem at all, {name}, happy to help.'],
  },
  nl: {
    order: [
      'Hoi {name}, dank voor je bericht! Ik heb {order} bekeken en ga ermee aan de slag.',
      'Hallo {name}, ik heb {order} voor je nagekeken; binnen een uur krijg je een e-mail met de details.',
      'Bedankt voor je geduld, {name}. Ik heb {order} zojuist voor je bijgewerkt.',
    ],
    answer: [
      'Hoi {name}, dank voor je bericht! Ik heb je de details gemaild.',
      'Hallo {name}, goede vraag. Ja, dat kunnen we voor je regelen.',
      'Bedankt voor je geduld, {name}! Het is geregeld.',
    ],
    closing: ['Helemaal goed, {name}. Fijne dag!', 'Graag gedaan, {name}!'],
  },
  de: {
    order: [
      'Hallo {name}, danke für Ihre Nachricht! Ich habe mir {order} angesehen und kümmere mich darum.',
      'Guten Tag {name}, ich habe {order} geprüft; Sie erhalten innerhalb einer Stunde eine E-Mail mit den Details.',
      'Danke für Ihre Geduld, {name}. Ich habe {order} gerade für Sie aktualisiert.',
    ],
    answer: [
      'Hallo {name}, danke für Ihre Nachricht! Ich habe Ihnen die Details per E-Mail geschickt.',
      'Guten Tag {name}, gute Frage. Ja, das können wir gerne machen.',
      'Danke für Ihre Geduld, {name}! Das ist erledigt.',
    ],
    closing: ['Alles erledigt, {name}. Einen schönen Tag noch!', 'Gern geschehen, {name}!'],
  },
  fr: {
    order: [
      'Bonjour {name}, merci pour votre message ! J’ai vérifié {order} et je m’en occupe.',
      'Bonjour {name}, j’ai regardé {order} pour vous ; vous recevrez un e-mail avec les détails dans l’heure.',
      'Merci de votre patience, {name}. Je viens de mettre à jour {order}.',
    ],
    answer: [
      'Bonjour {name}, merci pour votre message ! Je vous ai envoyé les détails par e-mail.',
      'Bonjour {name}, bonne question. Oui, c’est tout à fait possible.',
      'Merci de votre patience, {name} ! C’est réglé.',
    ],
    closing: ['C’est fait, {name}. Bonne journée !', 'Avec plaisir, {name} !'],
  },
  it: {
    order: [
      'Ciao {name}, grazie per il messaggio! Ho controllato {order} e me ne occupo io.',
      'Buongiorno {name}, ho verificato {order}; entro un’ora riceverà un’e-mail con i dettagli.',
      'Grazie per la pazienza, {name}. Ho appena aggiornato {order}.',
    ],
    answer: [
      'Ciao {name}, grazie per il messaggio! Le ho inviato i dettagli per e-mail.',
      'Buongiorno {name}, ottima domanda. Sì, possiamo farlo.',
      'Grazie per la pazienza, {name}! È tutto sistemato.',
    ],
    closing: ['Fatto, {name}. Buona giornata!', 'Di nulla, {name}!'],
  },
};
