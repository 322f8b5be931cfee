/** Calls the running app's /api/v1 as an API user would, with the workspace's key. */
export type ApiClient = <T = Record<string, unknown>>(method: "GET" | "POST" | "PATCH" | "DELETE", path: string, body?: unknown) => Promise<T>;

export function apiClient(baseUrl: string, apiKey: string): ApiClient {
  return async (method, path, body) => {
    const response = await fetch(`${baseUrl}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} /api/v1${path} answered ${response.status}: ${text}`);
    return (text ? JSON.parse(text) : {}) as never;
  };
}
