/** What `up` hands the sandbox daemon (written to .sandbox/daemon-config.json, mode 0600). */
export interface DaemonConfig {
  tokenServer: {
    port: number;
    privateKeyPath: string;
    issuer: string;
    service: string;
    username: string;
    password: string;
  };
  github: { token: string };
  cloudflare: { token: string; zoneName: string };
  /** Upstreams the fault proxy forwards to, by target name; the stand-ins are added by the daemon. */
  proxyTargets: Record<string, { url: string; kind: 'aws' | 'registry' }>;
  readyFile: string;
}

/** What the daemon writes to its ready file once every server it hosts listens. */
export interface DaemonReady {
  pid: number;
  tokenRealm: string;
  github: { url: string; graphqlUrl: string; adminUrl: string };
  cloudflare: { url: string; zoneId: string; adminUrl: string };
  faultProxy: { adminUrl: string; urls: Record<string, string> };
}
