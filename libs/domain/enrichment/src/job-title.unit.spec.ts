import type { Department, Seniority } from '@leadstream/contracts';
import { classifyJobTitle } from './job-title';

describe('classifyJobTitle', () => {
  it.each<[string, Seniority, Department]>([
    ['Chief Executive Officer', 'c-level', 'executive'],
    ['CEO & Founder', 'c-level', 'executive'],
    ['CTO', 'c-level', 'engineering'],
    ['Founder', 'c-level', 'executive'],
    ['Chief Financial Officer', 'c-level', 'finance'],
    ['President', 'c-level', 'executive'],
    ['Managing Director', 'c-level', 'executive'],
    ['VP, Sales EMEA', 'vp', 'sales'],
    ['Senior Vice President, Marketing', 'vp', 'marketing'],
    ['SVP Engineering', 'vp', 'engineering'],
    ['Head of Growth', 'director', 'marketing'],
    ['Director of Marketing', 'director', 'marketing'],
    ['Chief of Staff', 'director', 'other'],
    ['Office Manager', 'manager', 'operations'],
    ['Customer Success Manager', 'manager', 'customer-success'],
    ['IT Manager', 'manager', 'it'],
    ['Product Marketing Manager', 'manager', 'marketing'],
    ['Senior Product Manager', 'manager', 'product'],
    ['Sr. Software Engineer', 'individual-contributor', 'engineering'],
    ['Account Executive', 'individual-contributor', 'sales'],
    ['Sales Engineer', 'individual-contributor', 'sales'],
    ['HR Business Partner', 'individual-contributor', 'hr'],
    ['Controller', 'individual-contributor', 'finance'],
    ['Paralegal', 'individual-contributor', 'legal'],
    ['Intern', 'individual-contributor', 'other'],
    ['Executive Assistant to the CEO', 'individual-contributor', 'executive'],
    ['Directeur commercial', 'director', 'sales'],
    ['Directeur Général', 'c-level', 'executive'],
    ['Geschäftsführer', 'c-level', 'executive'],
    ['Geschaeftsfuehrerin', 'c-level', 'executive'],
    ['Vertriebsleiter', 'director', 'sales'],
    ['Teamleiter Entwicklung', 'manager', 'engineering'],
    ['Marketingmanagerin', 'manager', 'marketing'],
    ['Jefe de Ventas', 'manager', 'sales'],
    ['Directora de Recursos Humanos', 'director', 'hr'],
    ['Responsable RH', 'manager', 'hr'],
    ['Praktikant Einkauf', 'individual-contributor', 'operations'],
    ['Chief People Officer', 'c-level', 'hr'],
    ['CISO', 'c-level', 'it'],
    ['Board Member', 'c-level', 'executive'],
    ['VP of People', 'vp', 'hr'],
    ['Regional Sales Director', 'director', 'sales'],
    ['Head of IT', 'director', 'it'],
    ['Engineering Lead', 'manager', 'engineering'],
    ['Customer Support Engineer', 'individual-contributor', 'customer-success'],
    ['IT Support Specialist', 'individual-contributor', 'it'],
    ['Directeur des ventes', 'director', 'sales'],
    ['Personalleiterin', 'director', 'hr'],
    ['Gerente de Marketing', 'manager', 'marketing'],
    ['Direttore Commerciale', 'director', 'sales'],
    ['Ingénieur logiciel', 'individual-contributor', 'engineering'],
    ['Генеральный директор', 'c-level', 'executive'],
  ])('given the title %p, then the seniority is %p and the department %p', (title, seniority, department) => {
    expect(classifyJobTitle(title)).toEqual({ seniority, department });
  });

  it('given a title it has no row for, then it is an individual contributor in other', () => {
    expect(classifyJobTitle('Wizard')).toEqual({ seniority: 'individual-contributor', department: 'other' });
  });

  it('given a title of punctuation only, then there is nothing to classify', () => {
    expect(classifyJobTitle(' -- / ')).toBeUndefined();
  });

  it('given an absurdly long title, then it is read on its first words and does not throw', () => {
    expect(classifyJobTitle(`VP Sales ${'and more '.repeat(500)}`)).toEqual({ seniority: 'vp', department: 'sales' });
    expect(classifyJobTitle(`${'x'.repeat(10_000)} CEO`)).toEqual({ seniority: 'c-level', department: 'executive' });
  });

  it('given "Vice President", then it is not read as the president', () => {
    expect(classifyJobTitle('Vice President')?.seniority).toBe('vp');
  });
});
