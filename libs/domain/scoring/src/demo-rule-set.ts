import type { ScoringRuleSet } from './rule-set';

/** The demonstration rule set the scoring service starts with until one is configured. */
export const DEMO_RULE_SET: ScoringRuleSet = {
  version: 'demo-1',
  rules: [
    {
      id: 'senior-title',
      description: 'Decision makers: VPs, directors, heads of, C-level, founders',
      when: { field: 'title', op: 'contains', value: ['vp', 'vice president', 'director', 'chief', 'head of', 'ceo', 'cto', 'cfo', 'cmo', 'founder'] },
      points: 25,
    },
    { id: 'corporate-email', description: 'Email at a company domain', when: { field: 'isFreeEmail', op: 'equals', value: false }, points: 20 },
    { id: 'free-email', description: 'Personal mailbox at a free provider', when: { field: 'isFreeEmail', op: 'equals', value: true }, points: -10 },
    { id: 'phone-present', description: 'Reachable by phone', when: { field: 'phone', op: 'present' }, points: 10 },
    {
      id: 'target-country',
      description: 'In a sales territory',
      when: { field: 'country', op: 'in', value: ['US', 'CA', 'GB', 'IE', 'DE', 'FR', 'NL', 'AU'] },
      points: 15,
    },
    { id: 'high-intent-source', description: 'Came by referral or webinar', when: { field: 'source', op: 'in', value: ['referral', 'webinar'] }, points: 15 },
    { id: 'email-opened', activity: 'email_opened', points: 2, maxPoints: 10 },
    { id: 'email-clicked', activity: 'email_clicked', points: 5, maxPoints: 15 },
    { id: 'content-downloaded', activity: 'content_downloaded', points: 5, maxPoints: 15 },
    { id: 'webinar-attended', activity: 'webinar_attended', points: 10, maxPoints: 20 },
    { id: 'meeting-booked', activity: 'meeting_booked', points: 30, maxPoints: 30 },
  ],
  grades: { A: 70, B: 50, C: 30 },
  mqlThreshold: 50,
  sqlThreshold: 90,
};
