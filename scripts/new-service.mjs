#!/usr/bin/env node
// `npm run new:service -- <name> [--port <port>]`: writes a working service from
// scripts/templates/service (module, controller with @Rpc and @Event, DTO, unit and e2e tests)
// and registers it in nest-cli.json and deployment/dev-config.yaml. Nothing is written when a
// check fails; a write that fails midway is undone.
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { isMap, parseDocument } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const templateDir = join(root, 'scripts', 'templates', 'service');
const nestCliFile = join(root, 'nest-cli.json');
const devConfigFile = join(root, 'deployment', 'dev-config.yaml');

const NAME_PATTERN = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const MAX_NAME_LENGTH = 40;
// Names that are valid by the pattern but mean something else to JavaScript objects or YAML.
const RESERVED_NAMES = new Set(['constructor', 'prototype', 'null', 'true', 'false', 'yes', 'no', 'on', 'off', 'y', 'n']);
const USAGE = 'usage: npm run new:service -- <name> [--port <port>]\n  <name>: lowercase letters, digits and dashes, starting with a letter (e.g. price-alerts)';

class UsageError extends Error {}

/** Refuses anything but a new, well-formed service name; the message says why. */
function checkName(name) {
  if (typeof name !== 'string' || name === '') throw new UsageError('a service name is required');
  if (name.length > MAX_NAME_LENGTH) throw new UsageError(`the service name is longer than ${MAX_NAME_LENGTH} characters`);
  if (!NAME_PATTERN.test(name)) {
    throw new UsageError(`invalid service name ${JSON.stringify(name)}: use lowercase letters, digits and single dashes, starting with a letter`);
  }
  if (RESERVED_NAMES.has(name)) throw new UsageError(`invalid service name ${JSON.stringify(name)}: it is reserved`);
}

function pascalCase(name) {
  return name.split('-').map((part) => part[0].toUpperCase() + part.slice(1)).join('');
}

function camelCase(name) {
  const pascal = pascalCase(name);
  return pascal[0].toLowerCase() + pascal.slice(1);
}

async function exists(path) {
  return stat(path).then(() => true, () => false);
}

async function* templates(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* templates(path);
    else if (entry.name.endsWith('.tmpl')) yield path;
  }
}

function fill(text, vars) {
  return text.replace(/__(name|Pascal|camel|port)__/g, (_m, key) => String(vars[key]));
}

/** The port of the first instance: the next free hundred after the configured apps, or `--port`. */
function choosePort(apps, requested) {
  const taken = apps.map(([, spec]) => ({ from: Number(spec.port), to: Number(spec.port) + Number(spec.instances ?? 1) - 1 }));
  if (requested !== undefined) {
    if (!/^\d+$/.test(requested) || Number(requested) < 1024 || Number(requested) > 65535) {
      throw new UsageError(`--port must be a number from 1024 to 65535, got ${JSON.stringify(requested)}`);
    }
    const port = Number(requested);
    const clash = apps.find(([, spec], i) => port >= taken[i].from && port <= taken[i].to);
    if (clash) throw new UsageError(`port ${port} is already used by ${clash[0]} in deployment/dev-config.yaml`);
    return port;
  }
  const highest = Math.max(8000, ...taken.map((t) => t.to).filter(Number.isFinite));
  return Math.floor(highest / 100) * 100 + 101;
}

async function loadDevConfig() {
  const text = await readFile(devConfigFile, 'utf8');
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new Error(`deployment/dev-config.yaml does not parse: ${doc.errors[0].message}`);
  const apps = doc.get('apps');
  if (!isMap(apps)) throw new Error('deployment/dev-config.yaml has no `apps:` map');
  return { text, doc, apps: Object.entries(apps.toJSON()) };
}

/** Adds the project after the sample applications, leaving the rest of the file as it is. */
function addNestProject(text, name) {
  const config = JSON.parse(text);
  const project = { type: 'application', root: `apps/${name}`, entryFile: 'main', sourceRoot: `apps/${name}/src` };
  const block = `    ${JSON.stringify(name)}: ${JSON.stringify(project, null, 2).replace(/\n/g, '\n    ')},\n`;
  const firstLibrary = Object.entries(config.projects ?? {}).find(([, p]) => p.type === 'library')?.[0];
  const anchor = firstLibrary === undefined ? -1 : text.indexOf(`\n    ${JSON.stringify(firstLibrary)}: {`);
  let updated = anchor === -1 ? undefined : `${text.slice(0, anchor + 1)}${block}${text.slice(anchor + 1)}`;
  // Unusual formatting: rewrite the whole file rather than risk a broken one.
  if (updated === undefined || JSON.stringify(JSON.parse(updated).projects[name]) !== JSON.stringify(project)) {
    updated = `${JSON.stringify({ ...config, projects: { ...config.projects, [name]: project } }, null, 2)}\n`;
  }
  return updated;
}

async function generate(name, requestedPort) {
  checkName(name);
  const nestCliText = await readFile(nestCliFile, 'utf8');
  const nestCli = JSON.parse(nestCliText);
  const { text: devConfigText, doc, apps } = await loadDevConfig();
  const e2eFile = join(root, 'test', 'apps', `${name}.e2e-spec.ts`);
  const clashes = [
    Object.hasOwn(nestCli.projects ?? {}, name) && 'a project in nest-cli.json',
    apps.some(([app]) => app === name) && 'an app in deployment/dev-config.yaml',
    (await exists(join(root, 'apps', name))) && `apps/${name}`,
    (await exists(join(root, 'libs', name))) && `libs/${name}`,
    (await exists(e2eFile)) && relative(root, e2eFile),
  ].filter(Boolean);
  if (clashes.length > 0) throw new UsageError(`a service named ${JSON.stringify(name)} already exists: ${clashes.join(', ')}`);

  const vars = { name, Pascal: pascalCase(name), camel: camelCase(name), port: choosePort(apps, requestedPort) };
  const files = [];
  for await (const template of templates(templateDir)) {
    const target = join(root, fill(relative(templateDir, template), vars).replace(/\.tmpl$/, ''));
    files.push({ target, text: fill(await readFile(template, 'utf8'), vars) });
  }

  // Everything checked above: apps/<name> and the e2e file are this run's own to remove.
  const undo = async () => {
    await rm(join(root, 'apps', name), { recursive: true, force: true });
    await rm(e2eFile, { force: true });
    await writeFile(nestCliFile, nestCliText);
    await writeFile(devConfigFile, devConfigText);
  };
  try {
    for (const { target, text } of files) {
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, text, { flag: 'wx' });
    }
    await writeFile(nestCliFile, addNestProject(nestCliText, name));
    doc.setIn(['apps', name], doc.createNode({ port: vars.port, instances: 1 }));
    await writeFile(devConfigFile, doc.toString());
  } catch (error) {
    await undo();
    throw error;
  }
  return { files: files.map((f) => relative(root, f.target)), port: vars.port };
}

async function run(argv) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { port: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    throw new UsageError(error.message);
  }
  if (parsed.values.help) {
    console.log(USAGE);
    return;
  }
  if (parsed.positionals.length !== 1) throw new UsageError(parsed.positionals.length === 0 ? 'a service name is required' : 'give exactly one service name');
  const [name] = parsed.positionals;
  const { files, port } = await generate(name, parsed.values.port);
  console.log(`created service ${name}:`);
  for (const file of files) console.log(`  ${file}`);
  console.log(`  nest-cli.json: project ${name}`);
  console.log(`  deployment/dev-config.yaml: apps.${name} on port ${port}`);
  console.log(`\nnext:\n  npx nest start ${name} --watch          # rebuilds and restarts on every change (NATS at NATS_URL)`);
  console.log(`  npm run test:unit -- apps/${name}\n  npm run test:e2e -- test/apps/${name}.e2e-spec.ts`);
}

run(process.argv.slice(2)).catch((error) => {
  console.error(`new-service: ${error.message}`);
  if (error instanceof UsageError) console.error(USAGE);
  process.exit(1);
});
