export {
  DEFAULT_MAX_FIELD_BYTES,
  DEFAULT_MAX_RECORD_BYTES,
  createCsvParser,
  detectBinary,
  isCsvRecordError,
  type CsvParser,
  type CsvParserOptions,
  type CsvRecord,
  type CsvRecordError,
  type CsvRow,
} from './csv-parser';
export {
  DEFAULT_COLUMN_ALIASES,
  columnKey,
  externalIdColumnSystem,
  fieldErrorText,
  mapHeader,
  rowToFields,
  validateColumnAliases,
  type ColumnAliases,
  type ExternalIdColumn,
  type FieldError,
  type InvalidColumn,
  type HeaderMapping,
  type RowFieldsResult,
} from './header-mapping';
export {
  CONTRACT_MAX_LENGTH,
  DEFAULT_INTAKE_RULES,
  DEFAULT_MAX_LENGTH,
  PHONE_POLICIES,
  validateIntakeRules,
  type IntakeRules,
  type PhonePolicy,
} from './intake-rules';
export { emailSyntaxProblem, isDisposableEmailDomain, isNamesNoOneError, phoneProblem, validateLeadInput, type LeadInputResult } from './validate-lead-input';
export { MAX_WEBSITE_LENGTH, websiteProblem } from './website';
export {
  ATTRIBUTION_FIELD_NAMES,
  INTAKE_FIELD_NAMES,
  LEAD_FIELD_NAMES,
  type Attribution,
  type AttributionFieldName,
  type IntakeFieldName,
  type LeadFieldName,
} from './lead-field-names';
export { MAX_EXTERNAL_ID_LENGTH, normaliseSystemName, readExternalIds, systemNameProblem } from './external-ids';
export { InvalidClockError, InvalidColumnAliasesError, InvalidFormDefinitionError, InvalidIntakeRulesError } from './intake-error';
export {
  MAX_ACTIVITY_CLOCK_SKEW_MS,
  MAX_ACTIVITY_DETAIL_ENTRIES,
  MAX_ACTIVITY_DETAIL_KEY_LENGTH,
  MAX_ACTIVITY_DETAIL_VALUE_LENGTH,
  MAX_ACTIVITY_URL_LENGTH,
  validateActivityInput,
  type ActivityInput,
  type ActivityInputResult,
} from './validate-activity-input';
export {
  escapeHtml,
  isOriginAllowed,
  mapFormSubmission,
  renderFormSnippet,
  validateFormDefinition,
  type FormDefinition,
  type FormSubmission,
} from './form-definition';
export { createCsvLeadReader, type CsvLeadOutcome, type CsvLeadReader, type CsvLeadReaderOptions } from './csv-lead-reader';
export { CSV_DELIMITERS, describeDelimiter, detectCsvDelimiter, headerLineEnd, type CsvDelimiter } from './csv-delimiter';
export { CSV_ENCODINGS, createEncodingSniffer, csvEncodingFromLabel, type CsvEncoding, type EncodingSniffer, type EncodingVerdict } from './encoding-detection';
export { ATTRIBUTION_PARAMETERS, type ConsentAnswer, type FormConsent, type FormField, type FormPostContext, type SnippetOptions } from './form-definition';
export { describeFormErrors, renderFormErrorPage, renderFormRefusalPage, type FormRefusal, type VisitorProblem } from './form-pages';
