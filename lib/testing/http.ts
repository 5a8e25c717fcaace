type RouteHandler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response> | Response;

export type Call = { status: number; body: any; headers: Headers };

/** Calls a route handler the way Next does: a real Request in, the Response's JSON out. */
export async function call(
  handler: RouteHandler,
  options: { method?: string; url?: string; params?: Record<string, string | number>; body?: unknown; rawBody?: BodyInit; token?: string; headers?: Record<string, string> } = {},
): Promise<Call> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: BodyInit | undefined = options.rawBody;
  if (options.body !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(options.body);
  }
  const req = new Request(`http://localhost${options.url ?? "/"}`, { method: options.method ?? (body ? "POST" : "GET"), headers, body });
  const params = Object.fromEntries(Object.entries(options.params ?? {}).map(([k, v]) => [k, String(v)]));
  const res = await handler(req, { params: Promise.resolve(params) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

/** A write that sets up a test's fixtures: its JSON body, or a thrown error if it was refused. */
export async function fixtureWrite(handler: RouteHandler, token: string, params: Record<string, string | number>, body: unknown): Promise<any> {
  const res = await call(handler, { token, params, body });
  if (res.status >= 300) throw new Error(`fixture write failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
