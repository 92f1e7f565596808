// An answer the sandbox refuses with, shaped as the v4 API's errors.

export interface ApiError {
  code: number;
  message: string;
}

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly errors: ApiError[],
    readonly result: unknown = null,
  ) {
    super(errors.map((e) => e.message).join("; "));
  }
}

export const fail = (status: number, code: number, message: string, result: unknown = null) =>
  new ApiFailure(status, [{ code, message }], result);

export const noRoute = () => fail(404, 7000, "No route for that URI");
