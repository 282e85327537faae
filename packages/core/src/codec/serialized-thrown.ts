/**
 * A thrown value in a form that survives `postMessage` and Node's advanced (v8) IPC
 * serialization, made by `serializeThrown` and turned back by `deserializeThrown`.
 */
export type SerializedThrown = SerializedError | SerializedValue | SerializedUncloneable;

/** An `Error` with everything a user reads from it. */
export interface SerializedError {
  /** Discriminant. */
  readonly kind: 'error';
  /** `error.name`, such as `ValidationError`. */
  readonly name: string;
  /** The name of the error's class, such as `ValidationError`. */
  readonly constructorName: string;
  /** The nearest built-in class it extends (`TypeError`, `AggregateError`, `Error`…). */
  readonly builtinBase: string;
  /** `error.message`. */
  readonly message: string;
  /** `error.stack`, when it had one. */
  readonly stack?: string;
  /** `error.cause`, when it had one. */
  readonly cause?: SerializedThrown;
  /** `AggregateError`'s `errors`. */
  readonly errors?: readonly SerializedThrown[];
  /** The `Symbol.for` brands it carried (`timebox.error.TaskTimeoutError`…), restored on arrival. */
  readonly brands?: readonly string[];
  /** Every other own property (`code`, custom fields). */
  readonly properties: Readonly<Record<string, SerializedThrown>>;
}

/** A value that can be cloned as it is (a string, a number, a plain object…). */
export interface SerializedValue {
  /** Discriminant. */
  readonly kind: 'value';
  /** The value itself. */
  readonly value: unknown;
}

/** A value that cannot cross (a function, a symbol…), kept as a description. */
export interface SerializedUncloneable {
  /** Discriminant. */
  readonly kind: 'uncloneable';
  /** `typeof` the value. */
  readonly type: string;
  /** A readable description, such as `function handler`. */
  readonly description: string;
}
