import { normalisePersonName, recaseName } from './person-name';

describe('normalisePersonName', () => {
  it('given a name typed in capitals with an honorific and a suffix, then they are split off and the name re-cased', () => {
    expect(normalisePersonName({ firstName: 'DR. JANE', lastName: 'SMITH JR.' })).toEqual({ honorific: 'Dr', firstName: 'Jane', lastName: 'Smith', nameSuffix: 'Jr' });
  });

  it('given several honorifics and a comma before the suffix, then each is split off in its written form', () => {
    expect(normalisePersonName({ firstName: 'Prof. Dr. Hans', lastName: 'Müller, PhD' })).toEqual({ honorific: 'Prof Dr', firstName: 'Hans', lastName: 'Müller', nameSuffix: 'PhD' });
    expect(normalisePersonName({ firstName: 'Mrs', lastName: 'Ada Lovelace III' })).toEqual({ honorific: 'Mrs', lastName: 'Ada Lovelace', nameSuffix: 'III' });
  });

  it('given a field that is only an honorific or a suffix with nothing else to keep, then the word stays the name', () => {
    expect(normalisePersonName({ firstName: 'Ms' })).toEqual({ firstName: 'Ms' });
    expect(normalisePersonName({ lastName: 'Dr' })).toEqual({ lastName: 'Dr' });
    expect(normalisePersonName({ firstName: 'Sr', lastName: 'Smith' })).toEqual({ firstName: 'Sr', lastName: 'Smith' });
  });

  it('given a name typed in mixed case, then the case the lead chose is kept', () => {
    expect(normalisePersonName({ firstName: 'McKenzie', lastName: 'deBoer' })).toEqual({ firstName: 'McKenzie', lastName: 'deBoer' });
  });

  it('given names in scripts other than Latin, then they pass through in NFC, even all in capitals', () => {
    expect(normalisePersonName({ firstName: 'Дмитрий', lastName: 'ИВАНОВ' })).toEqual({ firstName: 'Дмитрий', lastName: 'ИВАНОВ' });
    expect(normalisePersonName({ firstName: ' 小龍 ', lastName: '李' })).toEqual({ firstName: '小龍', lastName: '李' });
    expect(normalisePersonName({ lastName: 'ΠΑΠΑΔΟΠΟΥΛΟΣ' })).toEqual({ lastName: 'ΠΑΠΑΔΟΠΟΥΛΟΣ' });
  });

  it('given a decomposed accent, then the name is in NFC', () => {
    const name = normalisePersonName({ firstName: 'e\u0301mile', lastName: 'zola' });
    expect(name).toEqual({ firstName: 'Émile', lastName: 'Zola' });
    expect(name.firstName).toBe('\u00c9mile');
  });

  it('given empty or blank names, then there is no name at all', () => {
    expect(normalisePersonName({ firstName: '   ', lastName: '' })).toEqual({});
    expect(normalisePersonName({})).toEqual({});
  });

  it('given an absurdly long name, then it is normalised without throwing', () => {
    const long = 'ANNA '.repeat(200).trim();
    expect(normalisePersonName({ firstName: long }).firstName).toBe('Anna '.repeat(200).trim());
  });
});

describe('recaseName', () => {
  it.each([
    ['JOHN', 'John'],
    ['van der berg', 'van der Berg'],
    ['VAN DER BERG', 'van der Berg'],
    ['mcdonald', 'McDonald'],
    ["o'neil", "O'Neil"],
    ["D'ARCY", "D'Arcy"],
    ['jean-luc', 'Jean-Luc'],
    ['DE LA CRUZ', 'de la Cruz'],
    ['von', 'Von'],
    ['le', 'Le'],
    ['ÅSA ÖSTERGÅRD', 'Åsa Östergård'],
    ['MacDonald', 'MacDonald'],
  ])('given %p, then %p', (typed, expected) => {
    expect(recaseName(typed)).toBe(expected);
  });
});
