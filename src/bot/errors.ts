/**
 * Errors of the Slack app. Codes are ccost's {@link ErrorCode}s, so the CLI prints them as one
 * line like every other ccost error.
 */
import { CcostError, ErrorCode } from '../core/errors/index.ts';

/** Settings the Slack app cannot start without; `missing` names each unset environment variable. */
export class SlackSettingsError extends CcostError {
  readonly missing: string[];
  constructor(missing: string[], mode: string) {
    super(
      ErrorCode.CredentialsMissing,
      `Slack ${mode} needs ${missing.join(', ')}: set ${missing.length === 1 ? 'it' : 'them'} in the environment (see README, "Slack")`,
    );
    this.missing = missing;
    this.name = 'SlackSettingsError';
  }
}

/** A setting that is there but unusable (a malformed URL, a token of the wrong kind). */
export class SlackSettingInvalidError extends CcostError {
  readonly variable: string;
  constructor(variable: string, message: string) {
    super(ErrorCode.ConfigInvalid, `${variable}: ${message}`);
    this.variable = variable;
    this.name = 'SlackSettingInvalidError';
  }
}
