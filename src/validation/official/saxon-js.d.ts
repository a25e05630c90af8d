// saxon-js ships no types; only what Efact uses is declared (see saxon.ts for why internals).
declare module 'saxon-js' {
  const SaxonJS: {
    getPlatform(): {
      parseXmlFromString(text: string, stripSpace?: boolean): SaxonDocument;
      resource(name: string): SefNode;
    };
    getProcessorInfo(): { productVersion: string };
    checkOptions(options: Record<string, unknown>): { principalResult: unknown } & Record<string, unknown>;
    internalTransform(sef: SefNode, source: SaxonDocument, options: Record<string, unknown>): void;
    XdmMap: new () => { inSituPut(key: unknown, value: unknown[]): void };
    XS: { QName: { fromParts(prefix: string, uri: string, local: string): unknown } };
    XPath: { sefToJSON(node: unknown): SefNode };
  };
  export interface SaxonDocument {
    _saxonBaseUri?: string;
    _saxonDocUri?: string;
    firstChild?: unknown;
  }
  export interface SefNode {
    N: string;
    C?: SefNode[];
    parentNode?: SefNode;
    [key: string]: unknown;
  }
  export default SaxonJS;
}
