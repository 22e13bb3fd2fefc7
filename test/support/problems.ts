/** Asserts an answer is a problem+json document with the status expected. */
export function expectProblem(
  res: { status: number; headers: Record<string, string> },
  status: number,
): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
}
