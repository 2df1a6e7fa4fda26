// kioskctl, the technician's command line.
import { runKioskctl } from '../cli/kioskctl';

void runKioskctl(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
