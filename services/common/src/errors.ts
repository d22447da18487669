/** One problem with one input field; `field` is a dotted path such as `items.0.sku`. */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/** An error whose status, code and message are safe to show to the client. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends HttpError {
  constructor(
    readonly details: readonly FieldError[],
    message = details.map((d) => `${d.field} ${d.message}`).join('; ') || 'Invalid request',
  ) {
    super(400, 'validation_failed', message);
  }
}

export class NotFoundError extends HttpError {
  constructor(message = 'Not found', code = 'not_found') {
    super(404, code, message);
  }
}

export class ConflictError extends HttpError {
  constructor(message: string, code = 'conflict') {
    super(409, code, message);
  }
}
