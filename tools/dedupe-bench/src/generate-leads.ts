import type { EnrichedLead, LeadFields } from '@leadstream/contracts';
import { enrichLead } from '@leadstream/domain-enrichment';
import { matchKey } from '@leadstream/domain-matching';
import { seededRandom } from '@leadstream/testing';
import { COMPANY_HEADS, COMPANY_PREFIXES, COMPANY_TAILS, COUNTRIES, FREE_MAIL_DOMAINS, SOURCES, TITLES, type CountryProfile } from './people';

/** A lead with the person it really belongs to: the ground truth dedupe is measured against. */
export interface LabelledLead {
  readonly leadId: string;
  readonly personId: string;
  /** Arrival time, ISO 8601; leads are returned in arrival order. */
  readonly receivedAt: string;
  readonly lead: EnrichedLead;
  /** The corruptions applied to make this lead from its person (empty for the first record). */
  readonly corruptions: readonly string[];
}

export interface GenerateOptions {
  readonly seed: number;
  /** How many distinct people; duplicates and hard negatives come on top as extra leads. */
  readonly people: number;
}


class Dice {
  constructor(private readonly next: () => number) {}
  chance(probability: number): boolean {
    return this.next() < probability;
  }
  int(below: number): number {
    return Math.floor(this.next() * below);
  }
  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)];
  }
  /**
   * Skewed towards the front of the list, mildly (weight 1 / (rank + 10)): the lists hold common names,
   * and the most common first name is about 3% of people, not a third.
   */
  pickCommon<T>(list: readonly T[]): T {
    const total = Math.log((list.length + 10.5) / 10.5);
    const rank = Math.floor(10.5 * Math.exp(this.next() * total) - 10.5);
    return list[Math.min(list.length - 1, Math.max(0, rank))];
  }
  digits(count: number): string {
    let text = '';
    for (let index = 0; index < count; index++) text += String(this.int(10));
    return text;
  }
}

// Nicknames people really use, written for the generator on its own (not read from the matcher's
// table), so names the matcher does not know appear as they would in real data.
const NICKNAMES: Readonly<Record<string, readonly string[]>> = {
  James: ['Jim', 'Jimmy', 'Jamie'], John: ['Johnny', 'Jack'], Robert: ['Bob', 'Rob', 'Bobby'], Michael: ['Mike', 'Mick'], William: ['Bill', 'Will', 'Billy'],
  David: ['Dave'], Richard: ['Rick', 'Rich', 'Dick'], Joseph: ['Joe'], Thomas: ['Tom', 'Tommy'], Charles: ['Charlie', 'Chuck'], Christopher: ['Chris'],
  Daniel: ['Dan', 'Danny'], Matthew: ['Matt'], Anthony: ['Tony'], Donald: ['Don'], Steven: ['Steve'], Andrew: ['Andy', 'Drew'], Joshua: ['Josh'],
  Kenneth: ['Ken'], Timothy: ['Tim'], Ronald: ['Ron'], Edward: ['Ed', 'Ted'], Jeffrey: ['Jeff'], Jacob: ['Jake'], Nicholas: ['Nick'], Jonathan: ['Jon'],
  Stephen: ['Steve'], Samuel: ['Sam'], Gregory: ['Greg'], Alexander: ['Alex', 'Sasha'], Patrick: ['Pat'], Raymond: ['Ray'], Dennis: ['Denny'],
  Benjamin: ['Ben'], Zachary: ['Zach'], Walter: ['Walt'], Harold: ['Harry'], Peter: ['Pete'], Henry: ['Hank', 'Harry'], Douglas: ['Doug'], Nathan: ['Nate'],
  Patricia: ['Pat', 'Trish'], Jennifer: ['Jen', 'Jenny'], Elizabeth: ['Liz', 'Beth', 'Betsy'], Barbara: ['Barb'], Susan: ['Sue'], Jessica: ['Jess'],
  Margaret: ['Peggy', 'Maggie', 'Meg'], Kimberly: ['Kim'], Emily: ['Em'], Michelle: ['Shelly'], Amanda: ['Mandy'], Deborah: ['Debbie', 'Deb'],
  Stephanie: ['Steph'], Rebecca: ['Becky'], Cynthia: ['Cindy'], Kathleen: ['Kathy'], Pamela: ['Pam'], Samantha: ['Sam'], Katherine: ['Kate', 'Katie'],
  Christine: ['Chris'], Catherine: ['Cathy', 'Kate'], Victoria: ['Vicky'], Christina: ['Tina'], Oliver: ['Ollie'], Alfie: ['Alf'], Freddie: ['Fred'],
  Isabella: ['Bella'], Charlotte: ['Lottie'], Eleanor: ['Ellie'], Nicola: ['Nicky'], Alistair: ['Ali'], Stuart: ['Stu'],
  Andreas: ['Andi'], Stefan: ['Steff'], Markus: ['Mark'], Matthias: ['Matze'], Tobias: ['Tobi'], Sebastian: ['Basti'], Maximilian: ['Max'], Florian: ['Flo'],
  Johannes: ['Hannes'], Stefanie: ['Steffi'], Katharina: ['Kathi'], Susanne: ['Susi'], Christian: ['Chris'],
  Nicolas: ['Nico'], Christophe: ['Chris'], Frédéric: ['Fred'], Guillaume: ['Guy'], Maxime: ['Max'],
  José: ['Pepe'], Francisco: ['Paco', 'Fran'], Manuel: ['Manolo'], Javier: ['Javi'], Ignacio: ['Nacho'], Alejandro: ['Álex'], Enrique: ['Quique'],
  Dolores: ['Lola'], Jesús: ['Chuy'], Antonio: ['Toño', 'Toni'], Cristina: ['Cris'],
};

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz';

interface Company {
  readonly name: string;
  readonly base: string;
  readonly domain: string;
  readonly profile: CountryProfile;
  readonly emailPattern: 'first.last' | 'flast' | 'first' | 'firstl' | 'first_last';
  readonly switchboard: string;
}

interface Person {
  readonly personId: string;
  readonly profile: CountryProfile;
  readonly company: Company;
  readonly firstName: string;
  readonly lastName: string;
  readonly workEmail: string;
  readonly phone?: string;
  readonly title: string;
}

function ascii(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/ß/g, 'ss')
    .replace(/ı/g, 'i')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}

function e164(dice: Dice, profile: CountryProfile): string {
  const prefix = dice.pick(profile.nationalPrefixes);
  return `+${profile.callingCode}${prefix}${dice.digits(profile.nationalDigits - prefix.length)}`;
}

/** The ways people type one number: enrichment brings them all back to the same E.164. */
function typedPhone(dice: Dice, phone: string, profile: CountryProfile): string {
  const national = phone.slice(1 + profile.callingCode.length);
  switch (dice.int(4)) {
    case 0:
      return phone;
    case 1:
      return `+${profile.callingCode} ${national.slice(0, 3)} ${national.slice(3, 6)} ${national.slice(6)}`;
    case 2:
      return profile.callingCode === '1' ? `(${national.slice(0, 3)}) ${national.slice(3, 6)}-${national.slice(6)}` : `0${national}`;
    default:
      return `00${profile.callingCode}-${national}`;
  }
}

function oneTypo(dice: Dice, name: string): string {
  const letters = [...name];
  if (letters.length < 4) return name;
  // Typos rarely hit the first letter: people see it; start at 1 most of the time.
  const at = dice.chance(0.1) ? 0 : 1 + dice.int(letters.length - 1);
  const letter = dice.pick([...ALPHABET]);
  switch (dice.int(4)) {
    case 0:
      letters[at] = letter; // substitution
      break;
    case 1:
      letters.splice(at, 0, letter); // insertion
      break;
    case 2:
      letters.splice(at, 1); // deletion
      break;
    default: {
      const other = at + 1 < letters.length ? at + 1 : at - 1; // transposition
      [letters[at], letters[other]] = [letters[other], letters[at]];
    }
  }
  const typed = letters.join('');
  return at === 0 ? typed.charAt(0).toUpperCase() + typed.slice(1) : typed;
}

function casing(dice: Dice, text: string): string {
  switch (dice.int(4)) {
    case 0:
      return text.toUpperCase();
    case 1:
      return text.toLowerCase();
    case 2:
      return `  ${text.replace(/ /g, '  ')} `;
    default:
      return text;
  }
}

function companyVariant(dice: Dice, company: Company): string {
  const suffix = dice.pick(company.profile.legalSuffixes);
  switch (dice.int(5)) {
    case 0:
      return `${company.base} ${suffix}`;
    case 1:
      return `${company.base.toUpperCase()}, ${suffix}`;
    case 2:
      return `The ${company.base} ${company.profile.callingCode === '1' ? 'Co.' : suffix}`;
    case 3:
      return company.base;
    default:
      return `${company.base.toLowerCase()} ${suffix.toLowerCase()}`;
  }
}

function localPart(pattern: Company['emailPattern'], first: string, last: string): string {
  const f = ascii(first);
  const l = ascii(last);
  switch (pattern) {
    case 'first.last':
      return `${f}.${l}`;
    case 'flast':
      return `${f.slice(0, 1)}${l}`;
    case 'first':
      return f;
    case 'firstl':
      return `${f}${l.slice(0, 1)}`;
    default:
      return `${f}_${l}`;
  }
}

function personalEmail(dice: Dice, person: Person): string {
  const f = ascii(person.firstName);
  const l = ascii(person.lastName);
  const local = dice.pick([`${f}.${l}`, `${f}${l}`, `${f}${l}${dice.digits(2)}`, `${f.slice(0, 1)}${l}${dice.digits(2)}`, `${l}.${f}`, `${f}_${l}${dice.digits(4)}`]);
  return `${local}@${dice.pick(FREE_MAIL_DOMAINS)}`;
}

class Generator {
  private readonly dice: Dice;
  private readonly companies: Company[] = [];
  /** Every mailbox (matchKey: Gmail ignores dots) and the person it belongs to: two people never share one. */
  private readonly mailboxes = new Map<string, string>();
  private readonly usedDomains = new Set<string>();
  /** workEmail: for each address, the number it last had to append to find a free mailbox. */
  private readonly nextMailboxNumber = new Map<string, number>();
  private readonly staffByCountry = new Map<string, Company[]>();
  private personCount = 0;

  constructor(seed: number) {
    this.dice = new Dice(seededRandom(seed));
  }

  profile(): CountryProfile {
    let u = this.dice.int(1000) / 1000;
    for (const profile of COUNTRIES) {
      if (u < profile.share) return profile;
      u -= profile.share;
    }
    return COUNTRIES[0];
  }

  newCompany(profile: CountryProfile): Company {
    for (let attempt = 0; ; attempt++) {
      const head = this.dice.pick(COMPANY_HEADS);
      const tail = this.dice.pick(COMPANY_TAILS);
      // Once the two-word names get scarce (large data sets), a third word makes more.
      const prefix = attempt < 10 ? '' : `${this.dice.pick(COMPANY_PREFIXES)} `;
      const serial = attempt < 40 ? '' : ` ${attempt}`;
      const base = `${prefix}${tail === '' ? head : `${head} ${tail}`}${serial}`;
      // ascii() keeps letters only, so the serial is put back into the domain (without it the loop never ends).
      const slug = `${ascii(base)}${serial === '' ? '' : attempt}`;
      const domain = `${slug}.${profile.tld}`;
      if (this.usedDomains.has(domain)) continue;
      this.usedDomains.add(domain);
      const company: Company = {
        name: `${base} ${this.dice.pick(profile.legalSuffixes)}`,
        base,
        domain,
        profile,
        emailPattern: this.dice.pick(['first.last', 'first.last', 'first.last', 'flast', 'flast', 'first', 'firstl', 'first_last'] as const),
        switchboard: e164(this.dice, profile),
      };
      this.companies.push(company);
      return company;
    }
  }

  companyFor(profile: CountryProfile): Company {
    // Companies have very different sizes: a new person joins the company of a random earlier person
    // (so big companies grow faster, a power law) or, one time in three, a company not seen yet.
    const local = this.staffByCountry.get(profile.country) ?? [];
    const company = local.length < 3 || this.dice.chance(0.33) ? this.newCompany(profile) : this.dice.pick(local);
    local.push(company);
    this.staffByCountry.set(profile.country, local);
    return company;
  }

  /** Half the people have a family name from the common list, half a rarer one. */
  lastName(profile: CountryProfile): string {
    if (this.dice.chance(0.5)) return this.dice.pickCommon(profile.lastNames);
    const middle = this.dice.chance(0.4) ? this.dice.pick(['a', 'e', 'in', 'er', 'o', 'en']) : '';
    return `${this.dice.pick(profile.surnameStems)}${middle}${this.dice.pick(profile.surnameEnds)}`;
  }

  workEmail(company: Company, first: string, last: string): string {
    let local = localPart(company.emailPattern, first, last);
    if (local === '' || local === '.') local = `user${this.dice.digits(4)}`;
    // The address, else with 2, 3... appended: the first free one. Mailboxes are never given back, so every
    // number below the one found last time for this address is still taken: start there (the same result
    // as counting from 2 each time, without going over a big company's whole staff again).
    const candidate = (n: number): string => (n === 1 ? `${local}@${company.domain}` : `${local}${n}@${company.domain}`);
    const address = candidate(1);
    let n = this.nextMailboxNumber.get(address) ?? 1;
    while (this.mailboxes.has(matchKey({ email: candidate(n) }))) n++;
    this.nextMailboxNumber.set(address, n);
    return candidate(n);
  }

  /** A mailbox for the person: the wanted one if free or theirs already, otherwise with a number. */
  claimMailbox(personId: string, wanted: string): string {
    const at = wanted.indexOf('@');
    let email = wanted;
    for (let n = 2; (this.mailboxes.get(matchKey({ email })) ?? personId) !== personId; n++) email = `${wanted.slice(0, at)}${n}${wanted.slice(at)}`;
    this.mailboxes.set(matchKey({ email }), personId);
    return email;
  }

  person(overrides: { profile?: CountryProfile; company?: Company; firstName?: string; lastName?: string } = {}): Person {
    const profile = overrides.profile ?? overrides.company?.profile ?? this.profile();
    const company = overrides.company ?? this.companyFor(profile);
    const firstName = overrides.firstName ?? this.dice.pickCommon(this.dice.chance(0.5) ? profile.maleNames : profile.femaleNames);
    const lastName = overrides.lastName ?? this.lastName(profile);
    const phone = this.dice.chance(0.6) ? (this.dice.chance(0.15) ? company.switchboard : e164(this.dice, profile)) : undefined;
    const personId = `p${++this.personCount}`;
    return {
      personId,
      profile,
      company,
      firstName,
      lastName,
      workEmail: this.claimMailbox(personId, this.workEmail(company, firstName, lastName)),
      ...(phone ? { phone } : {}),
      title: this.dice.pick(TITLES),
    };
  }

  /** The record a person first arrives as: mostly clean, the way a form fills it. */
  original(person: Person): { fields: LeadFields; corruptions: string[] } {
    const fields: LeadFields = {
      email: person.workEmail,
      firstName: person.firstName,
      lastName: person.lastName,
      company: this.dice.chance(0.9) ? person.company.name : undefined,
      title: this.dice.chance(0.8) ? person.title : undefined,
      phone: person.phone === undefined ? undefined : typedPhone(this.dice, person.phone, person.profile),
      country: this.dice.chance(0.85) ? this.dice.pick(person.profile.countryTyped) : undefined,
      source: this.dice.pick(SOURCES),
      campaign: this.dice.chance(0.5) ? `campaign-${this.dice.int(20)}` : undefined,
    };
    return { fields, corruptions: [] };
  }

  /** Another record of the same person, with a realistic mix of what differs between two sign-ups. */
  duplicate(person: Person): { fields: LeadFields; corruptions: string[] } {
    const dice = this.dice;
    const corruptions: string[] = [];
    let firstName = person.firstName;
    let lastName = person.lastName;
    const nicknames = NICKNAMES[firstName];
    const nameRoll = dice.int(100);
    if (nicknames !== undefined && nameRoll < 25) {
      firstName = dice.pick(nicknames);
      corruptions.push('nickname');
    } else if (nameRoll < 37) {
      firstName = oneTypo(dice, firstName);
      corruptions.push('first-name-typo');
    } else if (nameRoll < 42) {
      firstName = `${[...firstName][0]}.`;
      corruptions.push('initial');
    }
    if (dice.chance(0.12)) {
      lastName = oneTypo(dice, lastName);
      corruptions.push('last-name-typo');
    }
    if (dice.chance(0.06)) {
      [firstName, lastName] = [lastName, firstName];
      corruptions.push('swapped-names');
    }
    if (dice.chance(0.2)) {
      firstName = casing(dice, firstName);
      lastName = casing(dice, lastName);
      corruptions.push('case-spacing');
    }

    let email = person.workEmail;
    const emailRoll = dice.int(100);
    if (emailRoll < 35) {
      email = this.claimMailbox(person.personId, personalEmail(dice, person));
      corruptions.push('personal-email');
    } else if (emailRoll < 45) {
      const at = email.indexOf('@');
      email = this.claimMailbox(person.personId, `${localPart(dice.pick(['first.last', 'flast', 'firstl', 'first'] as const), person.firstName, person.lastName)}${email.slice(at)}`);
      corruptions.push('email-alias');
    } else if (emailRoll < 60) {
      email = dice.chance(0.5) ? email.toUpperCase() : email.replace('@', `+${dice.pick(['news', 'webinar', 'crm'])}@`);
      corruptions.push('email-case-or-tag');
    }

    let company: string | undefined = person.company.name;
    const companyRoll = dice.int(100);
    if (companyRoll < 45) {
      company = companyVariant(dice, person.company);
      corruptions.push('company-variant');
    } else if (companyRoll < 57) {
      company = undefined;
      corruptions.push('company-missing');
    }

    let phone = person.phone === undefined ? undefined : typedPhone(dice, person.phone, person.profile);
    const phoneRoll = dice.int(100);
    if (phoneRoll < 35) {
      phone = undefined;
      if (person.phone !== undefined) corruptions.push('phone-missing');
    } else if (phoneRoll < 45) {
      phone = typedPhone(dice, e164(dice, person.profile), person.profile);
      corruptions.push('other-phone');
    } else if (phone !== undefined && phoneRoll < 70) {
      corruptions.push('phone-format');
    }

    const fields: LeadFields = {
      email,
      firstName,
      lastName,
      company,
      title: dice.chance(0.6) ? person.title : dice.chance(0.5) ? dice.pick(TITLES) : undefined,
      phone,
      country: dice.chance(0.7) ? dice.pick(person.profile.countryTyped) : undefined,
      source: dice.pick(SOURCES),
      campaign: dice.chance(0.5) ? `campaign-${dice.int(20)}` : undefined,
    };
    return { fields, corruptions };
  }

  run(people: number): LabelledLead[] {
    const dice = this.dice;
    const records: { personId: string; fields: LeadFields; corruptions: string[] }[] = [];
    const persons: Person[] = [];
    for (let index = 0; index < people; index++) {
      let person: Person;
      const roll = dice.int(100);
      if (persons.length > 10 && roll < 6) {
        // A namesake: someone else's exact name at another company (hard negative).
        const other = dice.pick(persons);
        person = this.person({ profile: other.profile, firstName: other.firstName, lastName: other.lastName });
        if (person.company === other.company) person = this.person({ company: this.newCompany(other.profile), firstName: other.firstName, lastName: other.lastName });
        records.push({ personId: person.personId, ...this.original(person), corruptions: ['namesake'] });
      } else if (persons.length > 10 && roll < 12) {
        // A colleague with the same family name, sometimes the same switchboard (hard negative).
        const other = dice.pick(persons);
        let firstName = dice.pickCommon(dice.chance(0.5) ? other.profile.maleNames : other.profile.femaleNames);
        while (firstName === other.firstName) firstName = dice.pick(other.profile.maleNames);
        person = this.person({ company: other.company, firstName, lastName: other.lastName });
        records.push({ personId: person.personId, ...this.original(person), corruptions: ['same-company-same-last-name'] });
      } else {
        person = this.person();
        records.push({ personId: person.personId, ...this.original(person) });
      }
      persons.push(person);
      // About 40% of people sign up more than once.
      const copies = dice.chance(0.4) ? 1 + (dice.chance(0.3) ? 1 + dice.int(2) : 0) : 0;
      for (let copy = 0; copy < copies; copy++) records.push({ personId: person.personId, ...this.duplicate(person) });
    }
    // Arrival order is random: a duplicate may arrive before the record it duplicates.
    for (let index = records.length - 1; index > 0; index--) {
      const other = dice.int(index + 1);
      [records[index], records[other]] = [records[other], records[index]];
    }
    const start = Date.UTC(2026, 0, 1);
    return records.map((record, index) => ({
      leadId: `lead-${String(index + 1).padStart(7, '0')}`,
      personId: record.personId,
      receivedAt: new Date(start + index * 1000).toISOString(),
      lead: enrichLead(record.fields),
      corruptions: record.corruptions,
    }));
  }
}

/**
 * Labelled leads for measuring dedupe: `people` people at companies in five countries, about 40% of them
 * arriving more than once with realistic differences (nicknames, one-letter typos, swapped names, case and
 * spacing, company suffix variants, phone formats, a personal or alias email, missing fields), and hard
 * negatives (namesakes at other companies, colleagues with the same family name). Enriched with the real
 * enrichment (enrichLead). The same seed gives the same leads.
 */
export function generateLabelledLeads(options: GenerateOptions): LabelledLead[] {
  return new Generator(options.seed).run(options.people);
}
