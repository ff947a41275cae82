/** Framework truth matrix, Ruby on Rails / Rack variants (table: test/frameworks/matrix.ts, suite: test/frameworks/suite.ts). */
import { matrixSuite } from './suite.js';

matrixSuite('rails');
