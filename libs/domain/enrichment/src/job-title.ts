import type { Department, Seniority } from '@leadstream/contracts';
import { memoised } from './memo';

/** Seniority and department read from a job title. */
export interface JobTitleClass {
  readonly seniority: Seniority;
  readonly department: Department;
}

/**
 * One row of a title table: the value given when a title holds one of the phrases (whole words, in
 * order: "vice president" in "Senior Vice President, Sales"), or a word that starts or ends with one of
 * the stems (German compounds: "Vertriebsleiter" ends with "leiter" and starts with "vertrieb").
 * Phrases are written as the title is compared: lower case, no accents, punctuation as spaces.
 */
interface TitleRule<T> {
  readonly value: T;
  readonly phrases: readonly string[];
  readonly startsWith?: readonly string[];
  readonly endsWith?: readonly string[];
}

// Checked in order, the first row that matches wins: people who assist an executive are not one, a
// "vice president" is not a "president", a "Teamleiter" leads a team, not a department.
const SENIORITY_TABLE: readonly TitleRule<Seniority>[] = [
  {
    value: 'individual-contributor',
    phrases: ['assistant to', 'executive assistant', 'lead generation specialist', 'lead generation representative', 'personal assistant', 'intern', 'internship', 'trainee', 'student', 'apprentice', 'working student', 'praktikant', 'praktikantin', 'werkstudent', 'werkstudentin', 'azubi', 'auszubildender', 'stagiaire', 'alternant', 'becario', 'becaria', 'stagista'],
  },
  { value: 'director', phrases: ['chief of staff'] },
  {
    value: 'vp',
    phrases: ['vice president', 'vicepresident', 'vice presidente', 'vicepresidente', 'vizeprasident', 'vizeprasidentin', 'vp', 'svp', 'evp', 'avp', 'rvp', 'gvp', 'vps'],
  },
  {
    value: 'c-level',
    phrases: [
      'ceo', 'cto', 'cfo', 'coo', 'cmo', 'cio', 'cro', 'cpo', 'ciso', 'cso', 'chro', 'cdo', 'cco', 'cxo', 'cao', 'clo', 'cbo', 'cno',
      'chief', 'founder', 'cofounder', 'co founder', 'founding partner', 'owner', 'co owner', 'proprietor', 'president', 'chairman', 'chairwoman', 'chairperson', 'board member',
      'managing director', 'managing partner', 'senior partner', 'equity partner',
      'geschaftsfuhrer', 'geschaftsfuhrerin', 'geschaeftsfuehrer', 'geschaeftsfuehrerin', 'inhaber', 'inhaberin', 'vorstand', 'vorstandsvorsitzender',
      'directeur general', 'directrice generale', 'pdg', 'gerant', 'gerante', 'director general', 'directora general', 'director ejecutivo', 'directora ejecutiva',
      'diretor geral', 'diretor executivo', 'amministratore delegato', 'генеральный директор', 'directeur generaal', 'algemeen directeur', 'eigenaar', 'oprichter', 'fondateur', 'fondatrice', 'fundador', 'fundadora',
    ],
  },
  {
    value: 'manager',
    phrases: ['team lead', 'team leader', 'teamleiter', 'teamleiterin', 'gruppenleiter', 'gruppenleiterin', 'chef d equipe', 'jefe de equipo'],
  },
  {
    value: 'director',
    phrases: ['director', 'directors', 'directeur', 'directrice', 'direktor', 'direktorin', 'directora', 'diretor', 'diretora', 'direttore', 'direttrice', 'directeur commercial', 'head', 'general counsel', 'general manager', 'gm', 'leiter', 'leiterin', 'leitung', 'hoofd', 'responsable de departement', 'jefe de departamento', 'директор', 'руководитель'],
    endsWith: ['leiter', 'leiterin', 'direktor', 'direktorin'],
  },
  {
    value: 'manager',
    phrases: ['manager', 'managers', 'mgr', 'managerin', 'lead', 'supervisor', 'foreman', 'responsable', 'gerente', 'gestor', 'gestora', 'chef de', 'jefe', 'jefa', 'responsabile', 'teamlead'],
    endsWith: ['manager', 'managerin'],
  },
];

// A title's department is the row with the longest phrase found in it ("sales engineer" is sales, not
// engineering; "product marketing" is marketing); between phrases of one length, the earlier row.
const DEPARTMENT_TABLE: readonly TitleRule<Department>[] = [
  {
    value: 'sales',
    phrases: [
      'sales', 'account executive', 'account manager', 'account director', 'key account', 'business development', 'bdr', 'sdr', 'bdm', 'ae', 'cro', 'chief revenue',
      'revenue', 'revops', 'sales engineer', 'solutions engineer', 'solution engineer', 'presales', 'pre sales', 'partnerships', 'partner manager', 'channel', 'inside sales', 'commercial', 'commerciale',
      'vertrieb', 'verkauf', 'verkaufer', 'ventes', 'vente', 'ventas', 'vendas', 'vendite', 'comercial', 'handel', 'verkoop',
    ],
    startsWith: ['vertrieb', 'verkauf'],
  },
  {
    value: 'marketing',
    phrases: [
      'marketing', 'product marketing', 'marketing operations', 'growth', 'lead generation', 'lead gen', 'brand', 'demand generation', 'demand gen', 'content', 'seo', 'sem', 'communications', 'communication',
      'pr', 'public relations', 'social media', 'events', 'cmo', 'kommunikation', 'mercadeo', 'comunicacion', 'comunicazione',
    ],
    startsWith: ['marketing'],
  },
  {
    value: 'customer-success',
    phrases: ['customer success', 'customer support', 'customer service', 'customer care', 'customer experience', 'client services', 'client success', 'customer', 'support', 'onboarding', 'implementation', 'kundenservice', 'kundenbetreuung', 'kundendienst', 'service client', 'relation client', 'atencion al cliente'],
    startsWith: ['kunden'],
  },
  {
    value: 'hr',
    phrases: ['hr', 'hr business partner', 'human resources', 'human resource', 'people', 'people operations', 'talent', 'talent acquisition', 'recruiter', 'recruiting', 'recruitment', 'personnel', 'chro', 'chief people', 'payroll', 'ressources humaines', 'rh', 'recursos humanos', 'rrhh', 'risorse umane', 'personalwesen'],
    startsWith: ['personal'],
  },
  {
    value: 'legal',
    phrases: ['legal', 'counsel', 'general counsel', 'lawyer', 'attorney', 'paralegal', 'compliance', 'privacy', 'clo', 'juriste', 'jurist', 'juristin', 'rechtsanwalt', 'rechtsanwaltin', 'abogado', 'abogada', 'avvocato', 'juridique', 'recht'],
    startsWith: ['rechts'],
  },
  {
    value: 'finance',
    phrases: ['finance', 'financial', 'cfo', 'accountant', 'accounting', 'accounts payable', 'accounts receivable', 'controller', 'controlling', 'treasury', 'treasurer', 'audit', 'auditor', 'tax', 'fp and a', 'bookkeeper', 'billing', 'comptable', 'comptabilite', 'finances', 'finanzen', 'buchhaltung', 'buchhalter', 'finanzas', 'contable', 'contabilidad', 'finanza', 'financieel'],
    startsWith: ['finanz', 'buchhalt'],
  },
  {
    value: 'it',
    phrases: ['it', 'information technology', 'cio', 'ciso', 'chief information', 'information security', 'infosec', 'security', 'cybersecurity', 'sysadmin', 'system admin', 'systems admin', 'system administrator', 'systems administrator', 'network', 'helpdesk', 'help desk', 'it support', 'infrastructure', 'informatique', 'informatica', 'edv', 'ict'],
  },
  {
    value: 'product',
    phrases: ['product', 'product manager', 'product owner', 'cpo', 'chief product', 'ux', 'ui', 'user experience', 'design', 'designer', 'produkt', 'produit', 'producto', 'prodotto'],
    startsWith: ['produkt'],
  },
  {
    value: 'engineering',
    phrases: [
      'engineer', 'engineering', 'software', 'developer', 'development', 'programmer', 'devops', 'sre', 'site reliability', 'qa', 'quality assurance', 'test', 'tester',
      'data scientist', 'data engineer', 'machine learning', 'architect', 'cto', 'chief technology', 'technology', 'technical', 'tech lead', 'r and d', 'research and development',
      'ingenieur', 'ingenieurin', 'entwickler', 'entwicklerin', 'entwicklung', 'developpeur', 'developpeuse', 'ingeniero', 'ingeniera', 'desarrollador', 'desarrolladora', 'sviluppatore', 'ingegnere', 'technik',
    ],
    startsWith: ['entwickl', 'software', 'technisch'],
  },
  {
    value: 'operations',
    phrases: ['operations', 'operating', 'ops', 'coo', 'chief operating', 'office manager', 'office', 'logistics', 'supply chain', 'procurement', 'purchasing', 'facilities', 'administration', 'administrative', 'admin', 'einkauf', 'logistik', 'betrieb', 'operaciones', 'logistique', 'achats', 'operazioni'],
    startsWith: ['einkauf', 'logistik'],
  },
  {
    value: 'executive',
    phrases: [
      'ceo', 'chief executive', 'founder', 'cofounder', 'co founder', 'owner', 'co owner', 'president', 'managing director', 'managing partner', 'senior partner', 'general manager', 'gm',
      'chairman', 'chairwoman', 'board', 'proprietor', 'geschaftsfuhrer', 'geschaftsfuhrerin', 'geschaeftsfuehrer', 'geschaeftsfuehrerin', 'geschaftsfuhrung', 'inhaber', 'inhaberin', 'vorstand',
      'directeur general', 'directrice generale', 'pdg', 'gerant', 'gerante', 'director general', 'directora general', 'director ejecutivo', 'amministratore delegato', 'генеральный директор', 'fondateur', 'fondatrice', 'fundador', 'fundadora', 'eigenaar', 'oprichter',
    ],
  },
];

// A title longer than this many words is read on its first words only: the cost per lead stays bounded.
const MAX_TITLE_WORDS = 40;

/** Lower case, accents off Latin letters, "&" as "and", punctuation as spaces, split into words. */
function titleWords(title: string): string[] {
  const words = title
    .normalize('NFKD')
    // Accents off Latin letters ("Geschäftsführer" = "Geschaftsfuhrer"); other scripts keep theirs ("й").
    .replace(/(\p{Script=Latin})[\u0300-\u036f]+/gu, '$1')
    .normalize('NFC')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/&/g, ' and ')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0);
  return words.slice(0, MAX_TITLE_WORDS);
}

const phraseWords = new Map<string, readonly string[]>();

function wordsOf(phrase: string): readonly string[] {
  let words = phraseWords.get(phrase);
  if (words === undefined) {
    words = phrase.split(' ');
    phraseWords.set(phrase, words);
  }
  return words;
}

function holdsPhrase(words: readonly string[], phrase: readonly string[]): boolean {
  outer: for (let start = 0; start + phrase.length <= words.length; start++) {
    for (let offset = 0; offset < phrase.length; offset++) {
      if (words[start + offset] !== phrase[offset]) continue outer;
    }
    return true;
  }
  return false;
}

/** The length, in words, of the longest phrase of the row found in the title; 0 when none is. */
function matchLength<T>(rule: TitleRule<T>, words: readonly string[]): number {
  let longest = 0;
  for (const phrase of rule.phrases) {
    const parts = wordsOf(phrase);
    if (parts.length > longest && holdsPhrase(words, parts)) longest = parts.length;
  }
  if (longest === 0 && words.some((word) => rule.startsWith?.some((stem) => word.startsWith(stem)) || rule.endsWith?.some((stem) => word.endsWith(stem)))) {
    longest = 1;
  }
  return longest;
}

function seniorityIn(words: readonly string[]): Seniority {
  return SENIORITY_TABLE.find((rule) => matchLength(rule, words) > 0)?.value ?? 'individual-contributor';
}

function departmentIn(words: readonly string[]): Department {
  let best: Department = 'other';
  let bestLength = 0;
  for (const rule of DEPARTMENT_TABLE) {
    const length = matchLength(rule, words);
    if (length > bestLength) {
      best = rule.value;
      bestLength = length;
    }
  }
  return best;
}

export function seniorityOf(title: string): Seniority {
  return seniorityIn(titleWords(title));
}

export function departmentOf(title: string): Department {
  return departmentIn(titleWords(title));
}

/**
 * Seniority (c-level, vp, director, manager, individual-contributor) and department of a job title, from
 * the tables above, in English, German, French, Spanish, Italian, Portuguese and Dutch (and a few Russian titles): "VP, Sales EMEA"
 * -> vp, sales; "Geschäftsführer" -> c-level, executive. A title it does not recognise is an individual
 * contributor in 'other'; `undefined` for a title with no letters or digits.
 */
export const classifyJobTitle: (title: string) => JobTitleClass | undefined = memoised((title) => {
  const words = titleWords(title);
  if (words.length === 0) return undefined;
  return Object.freeze({ seniority: seniorityIn(words), department: departmentIn(words) });
});
