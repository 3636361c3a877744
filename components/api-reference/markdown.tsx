// A small Markdown renderer for the README page (self-hosters read it offline, in the app): headings,
// paragraphs, fenced code, lists, tables, block quotes, and inline code, bold, emphasis and links.
// It builds React elements, never HTML strings, so nothing in the file can inject markup.
import type { ReactNode } from "react";

type Block =
  | { kind: "heading"; level: number; text: string }
  | { kind: "code"; text: string }
  | { kind: "list"; ordered: boolean; items: string[] }
  | { kind: "table"; rows: string[][] }
  | { kind: "quote"; text: string }
  | { kind: "paragraph"; text: string };

export function parseBlocks(source: string): Block[] {
  const lines = source.replace(/\r\n/g, "\n").split("\n");
  const blocks: Block[] = [];
  for (let index = 0; index < lines.length;) {
    const line = lines[index];
    if (line.startsWith("```")) {
      const body: string[] = [];
      for (index++; index < lines.length && !lines[index].startsWith("```"); index++) body.push(lines[index]);
      index++;
      blocks.push({ kind: "code", text: body.join("\n") });
    } else if (/^#{1,6} /.test(line)) {
      const [, hashes, text] = /^(#{1,6}) (.*)$/.exec(line)!;
      blocks.push({ kind: "heading", level: hashes.length, text });
      index++;
    } else if (/^\s*([-*]|\d+\.) /.test(line)) {
      const ordered = /^\s*\d+\. /.test(line);
      const items: string[] = [];
      for (; index < lines.length && lines[index].trim() !== "" && !lines[index].startsWith("```"); index++) {
        const item = /^\s*(?:[-*]|\d+\.) (.*)$/.exec(lines[index]);
        if (item && !/^\s{4,}/.test(lines[index])) items.push(item[1]);
        else if (items.length) items[items.length - 1] += ` ${lines[index].trim()}`;
      }
      blocks.push({ kind: "list", ordered, items });
    } else if (line.startsWith("|")) {
      const rows: string[][] = [];
      for (; index < lines.length && lines[index].startsWith("|"); index++) {
        if (/^\|[\s:|-]+\|$/.test(lines[index].trim())) continue;
        rows.push(
          lines[index]
            .trim()
            .replace(/^\||\|$/g, "")
            .split("|")
            .map((cell) => cell.trim()),
        );
      }
      blocks.push({ kind: "table", rows });
    } else if (line.startsWith(">")) {
      const body: string[] = [];
      for (; index < lines.length && lines[index].startsWith(">"); index++) body.push(lines[index].replace(/^>\s?/, ""));
      blocks.push({ kind: "quote", text: body.join(" ") });
    } else if (line.trim() === "") {
      index++;
    } else {
      const body: string[] = [];
      for (; index < lines.length && lines[index].trim() !== "" && !/^(```|#{1,6} |\s*([-*]|\d+\.) |\||>)/.test(lines[index]); index++) body.push(lines[index]);
      blocks.push({ kind: "paragraph", text: body.join(" ") });
    }
  }
  return blocks;
}

const INLINE = /(`[^`]+`|\*\*[^*]+\*\*|\[[^\]]+\]\([^)\s]+\)|(?<![\w*])\*[^*\s][^*]*\*(?![\w*]))/g;

export function inline(text: string): ReactNode[] {
  return text.split(INLINE).map((part, index) => {
    if (index % 2 === 0) return part;
    if (part.startsWith("`"))
      return (
        <code key={index} className="rounded bg-slate-100 px-1 py-0.5 font-mono [overflow-wrap:anywhere] text-[0.85em] text-slate-800">
          {part.slice(1, -1)}
        </code>
      );
    if (part.startsWith("**"))
      return (
        <strong key={index} className="font-semibold text-slate-900">
          {inline(part.slice(2, -2))}
        </strong>
      );
    if (part.startsWith("[")) {
      const [, label, href] = /^\[([^\]]+)\]\(([^)\s]+)\)$/.exec(part)!;
      // Only web and in-page links: a README link is never a javascript: URL.
      const safe = /^(https?:\/\/|#|\/)/.test(href);
      return safe ? (
        <a key={index} href={href} className="font-medium text-brand-700 hover:underline">
          {inline(label)}
        </a>
      ) : (
        <span key={index}>{inline(label)}</span>
      );
    }
    return <em key={index}>{inline(part.slice(1, -1))}</em>;
  });
}

export function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/[`*]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

const HEADING_STYLE = [
  "",
  "text-2xl font-semibold",
  "mt-10 text-xl font-semibold border-b border-slate-200 pb-1",
  "mt-8 text-base font-semibold",
  "mt-6 text-sm font-semibold",
  "mt-4 text-sm font-semibold",
  "mt-4 text-sm font-semibold",
];

export function Markdown({ source }: { source: string }) {
  return (
    <div className="space-y-4 text-sm leading-6 text-slate-700">
      {parseBlocks(source).map((block, index) => {
        switch (block.kind) {
          case "heading": {
            const Tag = `h${Math.min(block.level, 6)}` as "h1";
            return (
              <Tag key={index} id={slugify(block.text)} className={`scroll-mt-6 text-slate-900 ${HEADING_STYLE[block.level]}`}>
                {inline(block.text)}
              </Tag>
            );
          }
          case "code":
            return (
              <pre key={index} className="relative overflow-x-auto scheme-light rounded-md bg-slate-900 px-4 py-3 font-mono text-xs leading-5 text-slate-100">
                {block.text}
              </pre>
            );
          case "list": {
            const Tag = block.ordered ? "ol" : "ul";
            return (
              <Tag key={index} className={`space-y-1 pl-5 ${block.ordered ? "list-decimal" : "list-disc"}`}>
                {block.items.map((item, at) => (
                  <li key={at}>{inline(item)}</li>
                ))}
              </Tag>
            );
          }
          case "table":
            return (
              <div key={index} className="relative overflow-x-auto">
                <table className="min-w-full text-left text-xs">
                  <thead className="border-b border-slate-200 text-slate-500">
                    <tr>
                      {block.rows[0]?.map((cell, at) => (
                        <th key={at} className="py-1.5 pr-4 font-medium">
                          {inline(cell)}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody className="divide-y divide-slate-100">
                    {block.rows.slice(1).map((row, at) => (
                      <tr key={at}>
                        {row.map((cell, column) => (
                          <td key={column} className="py-1.5 pr-4 align-top">
                            {inline(cell)}
                          </td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            );
          case "quote":
            return (
              <blockquote key={index} className="border-l-4 border-slate-200 pl-4 text-slate-600">
                {inline(block.text)}
              </blockquote>
            );
          default:
            return <p key={index}>{inline(block.text)}</p>;
        }
      })}
    </div>
  );
}
