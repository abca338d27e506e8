/** Errors of explaining a figure. */
import { CcostError, ErrorCode } from '../errors/index.ts';

/** A drill-down step that points at nothing (a resource, line or day the team has no cost on). */
export class ExplainNotFound extends CcostError {
  constructor(message: string) {
    super(ErrorCode.NotFound, message);
    this.name = 'ExplainNotFound';
  }
}

/** A drill-down state that cannot be read (a bad day, a line that is not a number). */
export class ExplainStateInvalid extends CcostError {
  readonly parameter: string;
  constructor(parameter: string, message: string) {
    super(ErrorCode.UsageError, `${parameter}: ${message}`);
    this.parameter = parameter;
    this.name = 'ExplainStateInvalid';
  }
}
