/** The `steward` command: one entry point, each subcommand in the module that owns it. */
import { OUTPUT_CLOSED, safeLines, watchOutput } from '../loaders/report.ts';
type Command = (args: string[]) => Promise<number>;

const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  sample: { summary: 'write a deterministic set of sample exports', load: async () => (await import('../sample/cli.ts')).sampleCommand },
  load: { summary: 'load export files into the warehouse', load: async () => (await import('../loaders/cli.ts')).loadCommand },
  check: { summary: 'validate export files without touching the warehouse', load: async () => (await import('../loaders/cli.ts')).checkCommand },
  map: { summary: 'draft a mapping for a foreign export: steward map FILE', load: async () => (await import('../loaders/map.ts')).mapCommand },
  status: { summary: 'show the load ledger and quarantine counts', load: async () => (await import('../loaders/cli.ts')).statusCommand },
  history: { summary: 'list the files that supplied a unit-month, current or replaced: steward history UNIT MONTH', load: async () => (await import('../loaders/cli.ts')).historyCommand },
  query: { summary: 'run a SQL query against the warehouse', load: async () => (await import('../loaders/cli.ts')).queryCommand },
  holidays: { summary: 'rebuild the holidays reference table from the published calendars', load: async () => (await import('../loaders/holidays.ts')).holidaysCommand },
  templates: { summary: 'write blank export templates and the contract page', load: async () => (await import('../loaders/templates.ts')).templatesCommand },
  run: { summary: 'build SQL models (incremental; --select MODEL[+], --full)', load: async () => (await import('../engine/cli.ts')).runCommand },
  test: { summary: 'run model tests', load: async () => (await import('../engine/cli.ts')).testCommand },
  docs: { summary: 'write the model catalog as JSON', load: async () => (await import('../engine/cli.ts')).docsCommand },
  kpis: { summary: 'list the declared KPIs (--show-sql: the SQL written from them)', load: async () => (await import('../engine/cli.ts')).kpisCommand },
  new: { summary: 'scaffold a new model: steward new model NAME', load: async () => (await import('../engine/cli.ts')).newCommand },
  brief: { summary: 'write the briefing for leadership as A4 HTML and PDF (--period, --unit, --lang, --all)', load: async () => (await import('../briefing/cli.ts')).briefCommand },
  pipeline: { summary: 'sample (if the inbox is empty) → load → run → test', load: async () => (await import('./pipeline.ts')).pipelineCommand },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  return ['usage: steward <command> [options]', '', ...Object.entries(COMMANDS).map(([k, c]) => `  ${k.padEnd(width)}  ${c.summary}`)].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : 1;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    console.error(`steward: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  const output = watchOutput();
  try {
    const rc = await (await cmd.load())(rest);
    return output.closed ? OUTPUT_CLOSED : rc;
  } catch (e) {
    // Bad input is reported without a stack trace; set STEWARD_DEBUG=1 to see one.
    const err = e as Error;
    // A full disk fails the statement that writes (often the commit); nothing of it was kept.
    const full = /No space left on device|File too large/i.test(err.message) ? '\nthe disk holding the warehouse (or its .tmp folder) is full: what this command was writing was rolled back; free some space and run it again' : '';
    console.error(`steward ${name}: ${safeLines(err.message)}${full}`);
    if (process.env.STEWARD_DEBUG) console.error(err.stack);
    return 1;
  }
}
