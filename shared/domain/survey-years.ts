/**
 * The first survey year the service ingests and reports on. One fact for both sides: a row the
 * normalizer accepts always belongs to a year the API can serve.
 */
export const FIRST_SURVEY_YEAR = 2000;
