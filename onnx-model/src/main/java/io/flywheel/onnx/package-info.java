/** Reading, checking and running ONNX models; see README.md in this module. */
package io.flywheel.onnx;
