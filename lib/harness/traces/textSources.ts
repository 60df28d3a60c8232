// A trace file's text as rows (CSV, via papaparse's streaming parser) or lines (JSON Lines), each with the line it is
// on, read a chunk at a time so a file of any size streams.
import { Readable } from "node:stream";
import Papa from "papaparse";

/** One CSV row's cells and the (1-based) line it starts on. */
export interface CsvRow {
  cells: string[];
  line: number;
}

/** The CSV rows of the text, blank lines left out. */
export async function* csvRows(chunks: AsyncIterable<string>): AsyncGenerator<CsvRow> {
  const source = Readable.from(chunks);
  const parser = Papa.parse(Papa.NODE_STREAM_INPUT, { header: false, skipEmptyLines: false });
  source.on("error", (err) => parser.destroy(err));
  source.pipe(parser);
  let line = 1;
  try {
    for await (const cells of parser as AsyncIterable<string[]>) {
      const rowLine = line;
      // A quoted cell may hold newlines: the next row starts that many lines further on.
      line += 1;
      for (const cell of cells) for (let i = cell.indexOf("\n"); i >= 0; i = cell.indexOf("\n", i + 1)) line++;
      if (cells.length === 1 && cells[0].trim() === "") continue;
      yield { cells, line: rowLine };
    }
  } finally {
    source.destroy();
    parser.destroy();
  }
}

/** One non-blank line of the text and its (1-based) number. */
export interface TextLine {
  text: string;
  line: number;
}

/** The text's non-blank lines. */
export async function* textLines(chunks: AsyncIterable<string>): AsyncGenerator<TextLine> {
  let rest = "";
  let line = 0;
  let first = true;
  for await (const chunk of chunks) {
    const text = first ? chunk.replace(/^\uFEFF/, "") : rest + chunk;
    first = false;
    let start = 0;
    for (let end = text.indexOf("\n", start); end >= 0; end = text.indexOf("\n", start)) {
      line++;
      const content = text.slice(start, end).replace(/\r$/, "");
      if (content.trim() !== "") yield { text: content, line };
      start = end + 1;
    }
    rest = text.slice(start);
  }
  if (rest.trim() !== "") yield { text: rest.replace(/\r$/, ""), line: line + 1 };
}
