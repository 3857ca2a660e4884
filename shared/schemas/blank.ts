/** For `z.preprocess`: a blank string (a query parameter or env variable set to nothing) reads as unset. */
export const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v)
