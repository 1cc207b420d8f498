import type { EnrichedLead } from '@leadstream/contracts';
import { anEnrichedLead, scenarioFor, testUuid } from '@leadstream/testing';
import { DEFAULT_MATCH_RULES } from './match-rules';
import { pairKey, resolveLead, type Candidate, type IncomingLead, type Resolution } from './resolve-lead';

const INCOMING = testUuid(2);

describe('resolveLead against candidates', () => {
  const rules = DEFAULT_MATCH_RULES;
  const janeWork = anEnrichedLead().withEmail('jane.doe@acme.com').withName('Jane', 'Doe').withCompany('Acme Inc', 'acme').build();
  const janePersonal = anEnrichedLead().withFreeEmail('janedoe').withName('Janie', 'Doe').withCompany('ACME', 'acme').build();
  const janeNameOnly = anEnrichedLead().withFreeEmail('jd1980').withName('Jane', 'Doe').withCompany(undefined).without('country').build();
  const colleague = anEnrichedLead().withEmail('mark.doe@acme.com').withName('Mark', 'Doe').withCompany('Acme Inc', 'acme').build();

  const { givenState } = scenarioFor<IncomingLead, readonly Candidate[], Resolution>({
    initialState: [],
    decide: (incoming, candidates) => resolveLead(incoming, candidates, rules),
  });
  const incoming = (lead: EnrichedLead, leadId = INCOMING): IncomingLead => ({ leadId, lead });
  const candidate = (n: number, lead: EnrichedLead, cluster = n): Candidate => ({ leadId: testUuid(n), clusterId: testUuid(cluster), lead });

  it('given no candidates, when a lead arrives, then it is new with nothing to review', () => {
    givenState([]).when(incoming(janeWork)).then({ outcome: 'new', joinClusterIds: [], reviews: [] });
  });

  it('given the same person under a nickname and a personal address, when she arrives, then merged into her cluster with the reason', () => {
    const resolution = givenState([candidate(11, janeWork, 5)]).when(incoming(janePersonal)).thenMatches({ outcome: 'merged', joinClusterIds: [testUuid(5)], reviews: [] });
    expect(resolution.best).toMatchObject({ leadId: testUuid(11), clusterId: testUuid(5), comparison: { verdict: 'merge', on: expect.arrayContaining(['name', 'company']) } });
  });

  it('given only a colleague with the same family name, when a lead arrives, then it is new', () => {
    givenState([candidate(11, colleague)]).when(incoming(janeWork)).then({ outcome: 'new', joinClusterIds: [], reviews: [] });
  });

  it('given a candidate between the thresholds, when a lead arrives, then it is new and the pair is proposed for review', () => {
    const resolution = givenState([candidate(11, janeWork)]).when(incoming(janeNameOnly)).thenMatches({ outcome: 'new', joinClusterIds: [] });
    expect(resolution.reviews).toEqual([{ leadId: testUuid(11), clusterId: testUuid(11), comparison: expect.objectContaining({ verdict: 'review' }) }]);
    expect(resolution.best).toEqual(resolution.reviews[0]);
  });

  it('given the pair was dismissed by a person, when the lead arrives again, then the pair is not proposed again', () => {
    const dismissedPairs = new Set([pairKey(testUuid(11), INCOMING)]);
    expect(resolveLead(incoming(janeNameOnly), [candidate(11, janeWork)], rules, { dismissedPairs })).toEqual({ outcome: 'new', joinClusterIds: [], reviews: [] });
    expect(pairKey(INCOMING, testUuid(11))).toBe(pairKey(testUuid(11), INCOMING));
  });

  it('given two clusters the lead matches automatically, when it arrives, then it joins both', () => {
    const phone = '+14155550100';
    const janeWithPhone = { ...janeWork, phone };
    const janeElsewhere = anEnrichedLead().withFreeEmail('jane.d').withName('Jane', 'Doe').withCompany('Acme', 'acme').withPhone(phone).build();
    const linking = { ...janePersonal, phone };
    const resolution = givenState([candidate(11, janeWithPhone, 21), candidate(12, janeElsewhere, 22)]).when(incoming(linking)).thenMatches({ outcome: 'merged', reviews: [] });
    expect([...resolution.joinClusterIds].sort()).toEqual([testUuid(21), testUuid(22)]);
  });

  it('given two clusters of namesakes the company told apart, when a lead fits both, then it joins the stronger and the other goes to review', () => {
    const first = anEnrichedLead().withEmail('ckelly@acme.com').withName('Christopher', 'Kelly').withCompany('Acme', 'acme').withPhone('+14155550100').build();
    const second = anEnrichedLead().withEmail('ckelly2@acme.com').withName('Christopher', 'Kelly').withCompany('Acme', 'acme').build();
    const ambiguous = anEnrichedLead().withFreeEmail('chris.kelly').withName('Chris', 'Kelly').withCompany('ACME Inc', 'acme').withPhone('+14155550100').build();
    const resolution = resolveLead(incoming(ambiguous), [candidate(11, first, 21), candidate(12, second, 22)], rules);
    expect(resolution).toMatchObject({ outcome: 'merged', joinClusterIds: [testUuid(21)] });
    expect(resolution.reviews).toEqual([expect.objectContaining({ leadId: testUuid(12), clusterId: testUuid(22), comparison: expect.objectContaining({ verdict: 'merge' }) })]);
  });

  it('given a review candidate in a cluster the lead joins anyway, when it arrives, then no review is proposed for that cluster', () => {
    givenState([candidate(11, janeWork, 7), candidate(12, janeNameOnly, 7)]).when(incoming(janePersonal)).thenMatches({ outcome: 'merged', joinClusterIds: [testUuid(7)], reviews: [] });
  });

  it('given the incoming lead among the candidates (a redelivery), when it arrives, then it does not match itself', () => {
    givenState([{ leadId: INCOMING, clusterId: INCOMING, lead: janeWork }]).when(incoming(janeWork)).then({ outcome: 'new', joinClusterIds: [], reviews: [] });
  });

  it('keeps the exact behaviour: the same mailbox is merged at score 1', () => {
    const again = anEnrichedLead().withEmail('JANE.DOE@acme.com').withName(undefined, undefined).withCompany(undefined).build();
    const resolution = givenState([candidate(11, janeWork, 3)]).when(incoming(again)).thenMatches({ outcome: 'merged', joinClusterIds: [testUuid(3)] });
    expect(resolution.best?.comparison).toMatchObject({ score: 1, on: ['email'] });
  });

  it('given a lead with no usable email and blank names, when it arrives, then it resolves without throwing', () => {
    const broken = { ...anEnrichedLead().withName(' ', '').build(), email: '@', emailDomain: '' };
    expect(resolveLead(incoming(broken), [candidate(11, janeWork)], rules)).toMatchObject({ outcome: 'new' });
  });

  describe('leads without email', () => {
    const switchboard = '+14155550100';
    const janeAtDesk = { ...janeWork, phone: switchboard };
    const markAtDesk = { ...colleague, phone: switchboard };
    const byPhone: EnrichedLead = { phone: switchboard, source: 'trade-show' };

    it('given a known lead with a phone, when a lead known by that phone alone arrives, then it is merged into her cluster on phone', () => {
      const resolution = givenState([candidate(11, janeAtDesk, 5)]).when(incoming(byPhone)).thenMatches({ outcome: 'merged', joinClusterIds: [testUuid(5)], reviews: [] });
      expect(resolution.best?.comparison).toMatchObject({ score: 1, on: ['phone'] });
    });

    it('given two people sharing a switchboard number, when a lead known by that number alone arrives, then it joins neither and both pairs go to review', () => {
      const resolution = givenState([candidate(11, janeAtDesk, 5), candidate(12, markAtDesk, 6)]).when(incoming(byPhone)).thenMatches({ outcome: 'new', joinClusterIds: [] });
      expect(resolution.reviews.map((review) => review.clusterId).sort()).toEqual([testUuid(5), testUuid(6)]);
    });

    it('given a cluster where a phone-only lead joined Jane, when her colleague arrives with that phone, then he is not chained to her through it', () => {
      const resolution = givenState([candidate(11, janeAtDesk, 5), candidate(12, byPhone, 5)]).when(incoming(markAtDesk)).thenMatches({ outcome: 'new', joinClusterIds: [] });
      expect(resolution.reviews).toEqual([expect.objectContaining({ leadId: testUuid(12), clusterId: testUuid(5) })]);
    });

    it('given a lead with only a name and a company, when it arrives, then it is merged by the fuzzy match into her cluster', () => {
      const nameAndCompany: EnrichedLead = { firstName: 'Jane', lastName: 'Doe', company: 'Acme', companyKey: 'acme' };
      const resolution = givenState([candidate(11, janeWork, 5)]).when(incoming(nameAndCompany)).thenMatches({ outcome: 'merged', joinClusterIds: [testUuid(5)] });
      expect(resolution.best?.comparison.on).toEqual(['name', 'company']);
    });

    it('given a lead with only an external id, when a known lead has that id, then it is merged on external-id', () => {
      const resolution = givenState([candidate(11, { ...janeWork, externalIds: { salesforce: '00Q1' } }, 5)])
        .when(incoming({ externalIds: { salesforce: '00Q1' } }))
        .thenMatches({ outcome: 'merged', joinClusterIds: [testUuid(5)] });
      expect(resolution.best?.comparison.on).toEqual(['external-id']);
    });

    it('given a lead with nothing to compare (an unparseable phone), when it arrives, then it is new without throwing', () => {
      givenState([candidate(11, janeAtDesk)]).when(incoming({ phone: 'ask reception', phoneUnparseable: true })).then({ outcome: 'new', joinClusterIds: [], reviews: [] });
    });
  });
});
