/** The reference trainer and the linear-model artifact format; see README.md in this module. */
package io.flywheel.linear;
