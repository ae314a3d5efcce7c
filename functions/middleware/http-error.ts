/** An error that ends the request with an HTTP status and a reason for the program that sent it (4xx). */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}
