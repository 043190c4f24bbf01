export { DataFileError, dataFileProblemOf, eventLogError, readModelFileError, type DataFileProblem } from './data-file-error.js';
