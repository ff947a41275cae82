/** Framework truth matrix, Go variants: net/http and gorilla/sessions (table: test/frameworks/matrix.ts, suite: test/frameworks/suite.ts). */
import { matrixSuite } from './suite.js';

matrixSuite('go');
