import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = path.resolve(import.meta.dirname, '../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

interface Service {
  image?: string;
  build?: string | { context: string };
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  depends_on?: string[] | Record<string, unknown>;
}
const compose = parse(read('docker-compose.yml')) as { services: Record<string, Service> };
const services = compose.services;

/** `host:container[:mode]` bind mounts (relative host paths) of a service, host path resolved. */
function binds(service: Service) {
  return (service.volumes ?? [])
    .map((v) => v.split(':'))
    .filter(([host]) => host!.startsWith('./'))
    .map(([host, container]) => ({ host: path.join(ROOT, host!), container: container! }));
}

describe('docker-compose.yml', () => {
  it('runs ccost, PostgreSQL 16, Grafana and Prometheus', () => {
    expect(Object.keys(services).sort()).toEqual(['ccost', 'grafana', 'postgres', 'prometheus']);
    expect(services.postgres!.image).toBe('postgres:16');
    expect(services.ccost!.build).toBe('.');
    expect(services.ccost!.command).toEqual(['serve']);
    expect(services.grafana!.image).toMatch(/^grafana\/grafana:/);
    expect(services.prometheus!.image).toMatch(/^prom\/prometheus:/);
  });

  it('points ccost at the compose PostgreSQL and waits for it', () => {
    const env = services.ccost!.environment!;
    expect(new URL(env.DATABASE_URL!.replace(/\$\{[^}]*\}/g, 'x')).host).toBe('postgres:5432');
    expect(env.PORT).toBe('3000');
    expect(Object.keys(env)).toEqual(expect.arrayContaining(['CONFLUENT_CLOUD_API_KEY', 'SLACK_BOT_TOKEN']));
    expect(services.ccost!.depends_on).toMatchObject({ postgres: { condition: 'service_healthy' } });
  });

  it('mounts Grafana provisioning and dashboards that exist, where the provider reads them', () => {
    const grafana = services.grafana!;
    const mounts = binds(grafana);
    for (const m of mounts) expect(existsSync(m.host), m.host).toBe(true);
    const provisioning = mounts.find((m) => m.container === '/etc/grafana/provisioning')!;
    expect(statSync(path.join(provisioning.host, 'datasources/ccost.yaml')).isFile()).toBe(true);
    expect(statSync(path.join(provisioning.host, 'dashboards/ccost.yaml')).isFile()).toBe(true);

    const provider = parse(read('grafana/provisioning/dashboards/ccost.yaml')) as {
      providers: { type: string; options: { path: string } }[];
    };
    const dashboards = mounts.find((m) => m.container === provider.providers[0]!.options.path);
    expect(dashboards, 'the dashboard provider path is a mounted directory').toBeDefined();
    expect(dashboards!.host).toBe(path.join(ROOT, 'grafana/dashboards'));
    expect(grafana.environment!.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH).toMatch(
      new RegExp(`^${provider.providers[0]!.options.path}/[\\w-]+\\.json$`),
    );
    const home = path.basename(grafana.environment!.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH!);
    expect(existsSync(path.join(ROOT, 'grafana/dashboards', home))).toBe(true);
  });

  it("sets every variable Grafana's datasource provisioning reads, and points it at the compose services", () => {
    const text = read('grafana/provisioning/datasources/ccost.yaml');
    const used = [...text.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]!);
    expect(used.length).toBeGreaterThan(0);
    const env = services.grafana!.environment!;
    for (const name of used) expect(env[name], name).toBeDefined();
    expect(env.CCOST_PG_HOST).toBe('postgres:5432');
    expect(env.CCOST_PG_DATABASE).toBe(services.postgres!.environment!.POSTGRES_DB);
    expect(env.CCOST_PG_USER).toBe(services.postgres!.environment!.GRAFANA_DB_USER);
    expect(new URL(env.CCOST_PROMETHEUS_URL!).host).toBe('prometheus:9090');
  });

  it('creates the read-only Grafana role from an init script that exists', () => {
    const init = binds(services.postgres!).find((m) => m.container === '/docker-entrypoint-initdb.d')!;
    const script = path.join(init.host, '10-grafana-reader.sh');
    expect(readFileSync(script, 'utf8')).toMatch(/grant select on all tables in schema public/);
    expect(statSync(script).mode & 0o111).not.toBe(0);
  });

  it('has Prometheus scrape ccost:3000/metrics', () => {
    const mount = binds(services.prometheus!).find((m) => m.container === '/etc/prometheus/prometheus.yml')!;
    const config = parse(readFileSync(mount.host, 'utf8')) as {
      scrape_configs: { job_name: string; metrics_path?: string; static_configs: { targets: string[] }[] }[];
    };
    const job = config.scrape_configs.find((j) => j.job_name === 'ccost')!;
    expect(job.metrics_path ?? '/metrics').toBe('/metrics');
    expect(job.static_configs.flatMap((s) => s.targets)).toContain('ccost:3000');
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const instructions = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((l) => l.trim() && !l.trim().startsWith('#'));

  it('builds in a builder stage with npm ci and runs on a slim Node image as a non-root user', () => {
    const froms = instructions.filter((l) => l.startsWith('FROM '));
    expect(froms.length).toBeGreaterThanOrEqual(2);
    expect(froms.at(-1)).toMatch(/^FROM node:(22|24)-slim\b/);
    expect(dockerfile).toMatch(/RUN npm ci\b/);
    expect(dockerfile).toMatch(/COPY --from=build\b/);
    const user = instructions.filter((l) => l.startsWith('USER ')).at(-1);
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^USER (root|0)(:|$)/);
  });

  it('runs `ccost serve` and checks /healthz on port 3000 with fetch', () => {
    expect(instructions).toContain('ENTRYPOINT ["node", "bin/ccost.js"]');
    expect(instructions).toContain('CMD ["serve"]');
    const health = instructions.find((l) => l.startsWith('HEALTHCHECK '))!;
    expect(health).toMatch(/fetch\(/);
    expect(health).toMatch(/\/healthz/);
    expect(health).toMatch(/3000/);
  });

  it('copies only paths that exist and that .dockerignore keeps', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    const sources = instructions
      .filter((l) => l.startsWith('COPY ') && !l.includes('--from='))
      .flatMap((l) => l.split(/\s+/).slice(1, -1));
    expect(sources).toEqual(
      expect.arrayContaining(['package.json', 'package-lock.json', 'bin', 'src', 'migrations']),
    );
    for (const source of sources) {
      expect(existsSync(path.join(ROOT, source)), source).toBe(true);
      expect(ignored, source).not.toContain(source);
    }
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', '.git', '.ccost']));
  });
});
