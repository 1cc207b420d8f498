import { LEADSTREAM_NAMESPACE, uuidV5 } from '@leadstream/contracts';

/**
 * The review pair of two leads as dedupe.review_pair keeps it: the two in ascending order and an id that
 * is the same whichever is named first, in every process.
 */
export function reviewPairOf(one: string, other: string): { pairId: string; leadA: string; leadB: string } {
  const [leadA, leadB] = one < other ? [one, other] : [other, one];
  return { pairId: uuidV5(`review-pair:${leadA}:${leadB}`, LEADSTREAM_NAMESPACE), leadA, leadB };
}
