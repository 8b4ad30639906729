import type { MlopsObjectOutcome } from '@mlops-plugins/backstage-plugin-mlops-common';

/** The outcome, naming the other entities that also declare the object, if any. */
export function withContest(
  outcome: MlopsObjectOutcome,
  others: string[] | undefined,
): MlopsObjectOutcome {
  return others?.length
    ? {
        ...outcome,
        contestedBy: others,
        message: `also declared by ${others.join(', ')}, which ${
          others.length > 1 ? 'are' : 'is'
        } refused: this entity owns it`,
      }
    : outcome;
}
