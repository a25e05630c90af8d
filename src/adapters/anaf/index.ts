/** The ANAF RO e-Factura adapter: client, parsers, vocabulary and answer-ZIP helpers. */
export * from './client.js';
export * from './vocabulary.js';
export * from './classify.js';
export * from './answer-zip.js';
export * from './text.js';
export * from './time.js';
export * from './parsers/answer.js';
export * from './parsers/upload-response.js';
export * from './parsers/status-response.js';
export * from './parsers/message-list.js';
export * from './parsers/message-details.js';
export * from './parsers/download-response.js';
export * from './parsers/validation-response.js';
export * from './parsers/signature-response.js';
export * from './parsers/error-document.js';
