/** The reason given for a strategy that a rule named but the caller did not pass. */
export const notACandidate = 'not among the candidate strategies';
