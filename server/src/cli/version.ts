/** The tool's version and home page, from package.json (bundled at build time). */
import pkg from '../../../package.json';

export const TOOL_VERSION: string = pkg.version;
/** package.json `homepage`, when the project has one (SARIF tool.driver.informationUri). */
export const TOOL_INFORMATION_URI: string | undefined = (pkg as { homepage?: string }).homepage;
