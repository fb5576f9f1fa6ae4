/** A class of error the client can rebuild from the wire by its `name`. */
export type ErrorClass = abstract new (...args: never[]) => Error;
