import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '../../../src/core/errors/index.ts';
import { loadConfiguration } from '../../../src/core/terraform/load.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function config(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ccost-tf-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

describe('loadConfiguration', () => {
  it('expands count and for_each over literal lists, maps and toset()', async () => {
    const dir = config({
      'main.tf': `
variable "n" { default = 2 }
locals { pools = { a = 5, b = 10 } }
resource "confluent_kafka_cluster" "c" {
  count = var.n
  cloud = "AWS"
  region = "us-east-\${count.index + 1}"
  basic {}
}
resource "confluent_flink_compute_pool" "p" {
  for_each = local.pools
  max_cfu = each.value
}
resource "confluent_service_account" "sa" {
  for_each = toset(["x", "y"])
  display_name = each.key
}
resource "confluent_ksql_cluster" "k" {
  for_each = { for name in ["q"] : name => 2 }
  csu = each.value * 2
}`,
    });
    const resources = await loadConfiguration(dir);
    const by = Object.fromEntries(resources.map((r) => [r.address, r.attributes]));
    expect(Object.keys(by).sort()).toEqual([
      'confluent_flink_compute_pool.p["a"]',
      'confluent_flink_compute_pool.p["b"]',
      'confluent_kafka_cluster.c[0]',
      'confluent_kafka_cluster.c[1]',
      'confluent_ksql_cluster.k["q"]',
      'confluent_service_account.sa["x"]',
      'confluent_service_account.sa["y"]',
    ]);
    expect(by['confluent_kafka_cluster.c[1]']!.region).toBe('us-east-2');
    expect(by['confluent_flink_compute_pool.p["b"]']!.max_cfu).toBe('10');
    expect(by['confluent_ksql_cluster.k["q"]']!.csu).toBe('4');
  });

  it('applies defaults < terraform.tfvars < *.auto.tfvars < --var', async () => {
    const dir = config({
      'main.tf': `
variable "a" { default = 1 }
variable "b" { default = 1 }
variable "c" { default = 1 }
resource "confluent_ksql_cluster" "a" { csu = var.a }
resource "confluent_ksql_cluster" "b" { csu = var.b }
resource "confluent_ksql_cluster" "c" { csu = var.c }`,
      'terraform.tfvars': 'b = 2\nc = 2\n',
      'x.auto.tfvars': 'c = 3\n',
    });
    const csu = async (vars?: Record<string, string>) =>
      (await loadConfiguration(dir, { vars })).map((r) => r.attributes.csu);
    expect(await csu()).toEqual(['1', '2', '3']);
    expect(await csu({ a: '8' })).toEqual(['8', '2', '3']);
  });

  it('keeps what it cannot resolve, with the reason', async () => {
    const dir = config({
      'main.tf': `
variable "cku" {}
resource "confluent_kafka_cluster" "d" {
  dedicated { cku = var.cku }
}
resource "confluent_connector" "c" {
  count = length(confluent_kafka_topic.t.partitions)
}
module "remote" {
  source = "app.terraform.io/acme/kafka/confluent"
}
module "missing" {
  source = "./nowhere"
}`,
    });
    const resources = await loadConfiguration(dir);
    const by = Object.fromEntries(resources.map((r) => [r.address, r]));
    expect(by['confluent_kafka_cluster.d']!.unknown.cku).toMatch(/variable "cku" has no value/);
    expect(by['confluent_connector.c']!.notEstimated).toMatch(/count: depends on confluent_kafka_topic/);
    expect(by['module.remote']!.notEstimated).toMatch(/not in the repository/);
    expect(by['module.missing']!.notEstimated).toMatch(/not found/);
  });

  it('reads local modules recursively with their inputs, count and defaults', async () => {
    const dir = config({
      'main.tf': `
module "outer" {
  source = "./modules/outer"
  count  = 2
  cku    = 3
}`,
      'modules/outer/main.tf': `
variable "cku" {}
module "inner" {
  source = "../inner"
  cku    = var.cku
}`,
      'modules/inner/main.tf': `
variable "cku" {}
variable "availability" { default = "MULTI_ZONE" }
resource "confluent_kafka_cluster" "this" {
  availability = var.availability
  dedicated { cku = var.cku }
}`,
    });
    const resources = await loadConfiguration(dir);
    expect(resources.map((r) => r.address)).toEqual([
      'module.outer[0].module.inner.confluent_kafka_cluster.this',
      'module.outer[1].module.inner.confluent_kafka_cluster.this',
    ]);
    expect(resources[0]!.attributes).toEqual({
      cluster_type: 'dedicated',
      cku: '3',
      availability: 'MULTI_ZONE',
    });
  });

  it('names the file, line and column of a syntax error', async () => {
    const dir = config({ 'main.tf': 'resource "confluent_kafka_cluster" "x" {\n  cloud = \n}\n' });
    const err = await loadConfiguration(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message).toMatch(/main\.tf:2:\d+: /);
  });

  it('never reads files outside the configuration', async () => {
    const dir = config({
      'main.tf': 'resource "confluent_kafka_cluster" "x" {\n  cloud = file("/etc/hostname")\n  basic {}\n}\n',
    });
    const [cluster] = await loadConfiguration(dir);
    expect(cluster!.attributes.cloud).toBeUndefined();
    expect(cluster!.unknown.cloud).toMatch(/outside the configuration/);
  });
});
