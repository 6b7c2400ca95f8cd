/** `license smart url {default|smart <url>|cslu <url>}` (config, SLP; §9.6, cssm-api.md §4). */
import { printAction } from './action-output.ts';
import type { CommandContext } from './command-node.ts';
import { slpOf } from './slp-blocks.ts';

/** `http(s)://host[:port][/path]`; anything else is IOS's bad-URL refusal (lab wording). */
function checkedUrl(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

export function licenseSmartUrl(ctx: CommandContext): string {
  const current = slpOf(ctx.view).config;
  const which = ctx.args.kind;
  if (which === 'default') {
    const { smartUrl: _, ...config } = current;
    return printAction(ctx.device.setSlpConfig(config));
  }
  const url = checkedUrl(ctx.args.url ?? '');
  if (url === undefined)
    return printAction({ ok: false, error: `% Invalid URL ${ctx.args.url ?? ''}: http:// or https:// expected` });
  return printAction(
    ctx.device.setSlpConfig({ ...current, ...(which === 'cslu' ? { csluUrl: url } : { smartUrl: url }) }),
  );
}
