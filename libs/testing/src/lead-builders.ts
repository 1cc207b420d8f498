import type { EnrichedLead, LeadFields } from '@leadstream/contracts';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** A lead as submitted at the edge. Defaults describe a plausible corporate lead. */
export class LeadBuilder {
  protected readonly fields: Mutable<LeadFields>;

  constructor(initial?: LeadFields) {
    this.fields = {
      ...(initial ?? {
        email: 'jane.doe@acme-corp.com',
        firstName: 'Jane',
        lastName: 'Doe',
        company: 'Acme Corp',
        title: 'Marketing Manager',
        country: 'US',
        source: 'website',
      }),
    };
  }

  withEmail(email: string): this {
    this.fields.email = email;
    return this;
  }
  withName(firstName: string | undefined, lastName: string | undefined): this {
    this.fields.firstName = firstName;
    this.fields.lastName = lastName;
    return this;
  }
  withCompany(company: string | undefined): this {
    this.fields.company = company;
    return this;
  }
  withTitle(title: string | undefined): this {
    this.fields.title = title;
    return this;
  }
  withPhone(phone: string | undefined): this {
    this.fields.phone = phone;
    return this;
  }
  withCountry(country: string | undefined): this {
    this.fields.country = country;
    return this;
  }
  withSource(source: string | undefined): this {
    this.fields.source = source;
    return this;
  }
  withCampaign(campaign: string | undefined): this {
    this.fields.campaign = campaign;
    return this;
  }
  /** Drop optional fields, e.g. `.without('title', 'phone')`. */
  without(...keys: Exclude<keyof LeadFields, 'email'>[]): this {
    for (const key of keys) delete this.fields[key];
    return this;
  }
  /** A lead without email: it must still name someone (a phone, an external id, or a name with a company). */
  withoutEmail(): this {
    delete this.fields.email;
    return this;
  }

  build(): LeadFields {
    return withoutUndefined({ ...this.fields });
  }
}

export function aLead(): LeadBuilder {
  return new LeadBuilder();
}

const TEST_FREE_DOMAINS = new Set(['gmail.com', 'yahoo.com', 'hotmail.com', 'outlook.com', 'icloud.com', 'aol.com', 'gmx.de', 'web.de']);

/**
 * A lead as enrichment leaves it. `withEmail` keeps emailDomain, isFreeEmail and companyDomain
 * consistent with the address, so tests need not repeat enrichment's rules.
 */
export class EnrichedLeadBuilder {
  private readonly lead: Mutable<EnrichedLead>;

  constructor() {
    this.lead = {
      email: 'jane.doe@acme-corp.com',
      emailDomain: 'acme-corp.com',
      isFreeEmail: false,
      companyDomain: 'acme-corp.com',
      firstName: 'Jane',
      lastName: 'Doe',
      company: 'Acme Corp',
      companyKey: 'acme',
      title: 'Marketing Manager',
      country: 'US',
      source: 'website',
    };
  }

  withEmail(email: string): this {
    const normalised = email.trim().toLowerCase();
    const domain = normalised.slice(normalised.lastIndexOf('@') + 1);
    this.lead.email = normalised;
    this.lead.emailDomain = domain;
    this.lead.isFreeEmail = TEST_FREE_DOMAINS.has(domain);
    this.lead.companyDomain = this.lead.isFreeEmail ? undefined : domain;
    return this;
  }
  /** A personal mailbox at a free provider. */
  withFreeEmail(localPart = 'jane.doe', domain = 'gmail.com'): this {
    this.lead.email = `${localPart}@${domain}`;
    this.lead.emailDomain = domain;
    this.lead.isFreeEmail = true;
    this.lead.companyDomain = undefined;
    return this;
  }
  withName(firstName: string | undefined, lastName: string | undefined): this {
    this.lead.firstName = firstName;
    this.lead.lastName = lastName;
    return this;
  }
  withCompany(company: string | undefined, companyKey = company?.toLowerCase()): this {
    this.lead.company = company;
    this.lead.companyKey = companyKey;
    return this;
  }
  withTitle(title: string | undefined): this {
    this.lead.title = title;
    return this;
  }
  withPhone(phone: string | undefined): this {
    this.lead.phone = phone;
    return this;
  }
  withCountry(country: string | undefined): this {
    this.lead.country = country;
    return this;
  }
  withSource(source: string | undefined): this {
    this.lead.source = source;
    return this;
  }
  withCampaign(campaign: string | undefined): this {
    this.lead.campaign = campaign;
    return this;
  }
  without(...keys: Exclude<keyof EnrichedLead, 'email' | 'emailDomain' | 'isFreeEmail'>[]): this {
    for (const key of keys) delete this.lead[key];
    return this;
  }
  /**
   * As enrichment leaves a lead that came without email: no email, nothing derived from one, and no
   * company domain (enrichment would take it from a website).
   */
  withoutEmail(): this {
    for (const key of ['email', 'emailDomain', 'isFreeEmail', 'isDisposableEmail', 'companyDomain'] as const) delete this.lead[key];
    return this;
  }

  build(): EnrichedLead {
    return withoutUndefined({ ...this.lead });
  }
}

export function anEnrichedLead(): EnrichedLeadBuilder {
  return new EnrichedLeadBuilder();
}
